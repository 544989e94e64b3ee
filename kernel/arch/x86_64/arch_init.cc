// Early per-CPU setup called from _start before any other kernel code runs.
#include "arch/arch.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/idt.h"
#include "debug/panic.h"
#include "mm/memory.h"

namespace kernel::arch {

extern "C" void arch_early_init() {
  x86::gdt_init();
  x86::idt_init();
}

void install_guarded_exception_stacks() {
  // 16 KiB each, as the boot-time stacks in gdt.cc, but with a guard page below.
  const uint8_t slots[] = {x86::kIstNmi, x86::kIstDoubleFault, x86::kIstMachineCheck};
  for (const uint8_t slot : slots) {
    mm::KernelStack stack;
    if (!mm::alloc_kernel_stack(4, &stack)) panic("arch: no memory for IST stack %u", slot);
    x86::set_ist_stack(slot, stack.top);
  }
}

}  // namespace kernel::arch
