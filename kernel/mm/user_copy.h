// The user-copy fault fix-ups, for the page-fault handler.
#pragma once

#include <stdint.h>

namespace kernel::mm {

// A kernel-mode page fault's registers, as the fix-up sees and may change them.
struct KernelFaultState {
  uint64_t rip;
  uint64_t rsp;
};

// Whether a kernel-mode page fault on `fault_address` is one the memory manager expects, and
// if so rewrites `state` to resume at its fix-up (the routine then reports failure):
// - a user-access instruction of arch/x86_64/user_copy.S touching the user half;
// - the self-test write probe, at any address;
// - the self-test SMEP probe: an instruction fetch from the user half (rip == fault_address)
//   whose return address on the stack is the probe's.
// Returns false, changing nothing, for every other fault (a kernel bug).
[[nodiscard]] bool fix_kernel_page_fault(uint64_t fault_address, KernelFaultState* state);

// Tells the copy routines whether CR4.SMAP is on (they then bracket user access with stac/clac).
void set_user_copy_smap(bool enabled);

// Reads one byte at a user address without opening SMAP (no stac); true if it did not fault.
// Only for the self test: with SMAP on, a mapped user page must still fault.
[[nodiscard]] bool probe_user_read_without_stac(uint64_t addr);
// Rewrites one byte of kernel memory with its own value; true if it did not fault. Only for the
// self test that read-only kernel sections are write-protected.
[[nodiscard]] bool probe_kernel_write(uint64_t addr);
// Calls code at a user address (which must hold `ret`); true if it ran. Only for the self test:
// with SMEP on, it must fault.
[[nodiscard]] bool probe_user_exec(uint64_t addr);

}  // namespace kernel::mm
