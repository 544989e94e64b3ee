// Handing control to the kernel after ExitBootServices.
#include "exit_and_jump.h"

#include "cpu.h"
#include "uefi.h"

extern "C" {
// trampoline.S
[[noreturn]] void mu_boot_trampoline(uint64_t cr3, uint64_t bootinfo_virt, uint64_t entry,
                                     uint64_t stack_top_virt);
extern const char mu_boot_trampoline_end[];
}

namespace muboot {

void trampoline_pages(uint64_t* base, uint64_t* size) {
  const auto start = reinterpret_cast<uint64_t>(&mu_boot_trampoline);
  const auto end = reinterpret_cast<uint64_t>(mu_boot_trampoline_end);
  *base = start & ~(kPage - 1);
  *size = ((end + kPage - 1) & ~(kPage - 1)) - *base;
}

void jump_to_kernel(const JumpTarget& target, mu::BootInfo* info) {
  // The kernel's tables set NX (bit 63) on data; without EFER.NXE that bit is reserved and
  // every such access would fault (Intel SDM vol 3A §4.5, table 4-20).
  cpu::wrmsr(cpu::kMsrEfer, cpu::rdmsr(cpu::kMsrEfer) | cpu::kEferNxe);
  info->jump_tsc = cpu::rdtsc();
  mu_boot_trampoline(target.cr3, target.bootinfo_virt, target.entry, target.stack_top_virt);
}

}  // namespace muboot
