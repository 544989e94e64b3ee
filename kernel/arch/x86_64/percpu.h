// Per-CPU data reached through the GS base in kernel mode (swapgs on every user/kernel crossing:
// syscall_entry.S and the interrupt entry in isr.S; Intel SDM vol 2B SWAPGS). One instance per CPU;
// the boot CPU's only.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace kernel::sched {
class Thread;
}

namespace kernel::x86 {

struct PerCpu {
  PerCpu* self;            // 0: for `movq %gs:0, reg`
  uint64_t kernel_rsp;     // 8: top of the current thread's kernel stack
  uint64_t user_rsp;       // 16: scratch for the user rsp at syscall entry
  sched::Thread* current;  // 24: the thread running on this CPU
  uint64_t loaded_cr3;     // 32: page-table root in CR3
  uint32_t cpu_id;         // 40
};

// Offsets used by syscall_entry.S.
#define MU_PERCPU_KERNEL_RSP 8
#define MU_PERCPU_USER_RSP 16

// The boot CPU's block. C++ code reaches it through this function, not GS: an NMI or #MC can
// arrive inside syscall_entry.S's swapgs windows, where GS still holds the user base.
// Inline: the IPC fast paths and the scheduler call it on every switch.
extern PerCpu g_boot_cpu;
[[nodiscard]] inline PerCpu& this_cpu() { return g_boot_cpu; }

// Loads GS base (IA32_GS_BASE) with this CPU's block and IA32_KERNEL_GS_BASE with 0 (the user
// value), then sets up SYSCALL/SYSRET: EFER.SCE, STAR, LSTAR, SFMASK (AMD APM vol 2 §6.1.1).
void percpu_init();

// Sets where the CPU switches its stack on a user->kernel transition: TSS.RSP0 for interrupts
// and exceptions, PerCpu::kernel_rsp for SYSCALL.
void set_kernel_stack(uint64_t top);

}  // namespace kernel::x86
