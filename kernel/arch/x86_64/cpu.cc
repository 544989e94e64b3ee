// CPU feature enabling, halting, QEMU exit and the kernel image bounds used by backtraces.
#include "arch/x86_64/cpu.h"
#include "arch/arch.h"

extern "C" const char __kernel_start[], __kernel_end[], __text_start[], __text_end[];

namespace kernel::arch {

const char* enable_cpu_protections() {
  using namespace x86;
  // Supervisor writes honour read-only pages (W^X for the kernel itself). SDM vol 3A §2.5.
  write_cr0(read_cr0() | kCr0WriteProtect);
  // NX must stay on: the loader's W^X mappings set XD bits. SDM vol 3A §4.1.1.
  const CpuidResult ext = cpuid(0x80000000);
  if (ext.eax >= 0x80000001 && (cpuid(0x80000001).edx & (1u << 20)) != 0) {
    wrmsr(kMsrEfer, rdmsr(kMsrEfer) | kEferNxe);
  }
  // SMEP/SMAP/UMIP: CPUID.(EAX=07H,ECX=0):EBX[7], EBX[20], ECX[2]. SDM vol 3A §4.6.
  uint64_t cr4 = read_cr4();
  if (cpuid(0).eax >= 7) {
    const CpuidResult leaf7 = cpuid(7, 0);
    if ((leaf7.ebx & (1u << 7)) != 0) cr4 |= kCr4Smep;
    if ((leaf7.ebx & (1u << 20)) != 0) cr4 |= kCr4Smap;
    if ((leaf7.ecx & (1u << 2)) != 0) cr4 |= kCr4Umip;
  }
  write_cr4(cr4);
  static char summary[48];
  format_buffer(summary, sizeof(summary), "wp%s%s%s%s", (rdmsr(kMsrEfer) & kEferNxe) ? " nx" : "",
                (cr4 & kCr4Smep) ? " smep" : "", (cr4 & kCr4Smap) ? " smap" : "",
                (cr4 & kCr4Umip) ? " umip" : "");
  return summary;
}

void halt_forever() {
  for (;;) asm volatile("cli; hlt");
}

void qemu_debug_exit(uint8_t code) {
  // QEMU's isa-debug-exit (iobase=0xf4): writing v terminates QEMU with status (v << 1) | 1.
  x86::outb(0xf4, code);
}

uint64_t read_timestamp() { return x86::rdtsc(); }

AddressRange kernel_stack_range() {
  // All kernel stacks (boot, IST) live in the image's .bss until the memory manager exists.
  return {reinterpret_cast<uint64_t>(__kernel_start), reinterpret_cast<uint64_t>(__kernel_end)};
}

AddressRange kernel_code_range() {
  return {reinterpret_cast<uint64_t>(__text_start), reinterpret_cast<uint64_t>(__text_end)};
}

void print_control_registers(OutputSink sink) {
  using namespace x86;
  format(sink, "  cr0=%016lx cr2=%016lx cr3=%016lx cr4=%016lx\n", read_cr0(), read_cr2(),
         read_cr3(), read_cr4());
}

}  // namespace kernel::arch
