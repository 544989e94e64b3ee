// Handing control to the kernel after ExitBootServices: EFER.NXE, CR3, rdi = BootInfo, jump.
#pragma once

#include <stdint.h>

#include "mu/bootinfo.h"

namespace muboot {

// Physical page range (page-aligned, identity-mapped in the kernel's tables) of the trampoline.
void trampoline_pages(uint64_t* base, uint64_t* size);

struct JumpTarget {
  uint64_t cr3;             // physical PML4
  uint64_t entry;           // ELF entry (kernel virtual)
  uint64_t bootinfo_virt;   // HHDM address of the BootInfo
  uint64_t stack_top_virt;  // HHDM address of the top of the boot stack (16-byte aligned)
};

// Records info->jump_tsc, enables NX and jumps. Boot services must already be gone.
[[noreturn]] void jump_to_kernel(const JumpTarget& target, mu::BootInfo* info);

}  // namespace muboot
