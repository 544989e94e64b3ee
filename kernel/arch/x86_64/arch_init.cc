// Early per-CPU setup called from _start before any other kernel code runs.
#include "arch/arch.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/idt.h"

namespace kernel::arch {

extern "C" void arch_early_init() {
  x86::gdt_init();
  x86::idt_init();
}

}  // namespace kernel::arch
