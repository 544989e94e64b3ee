// The user-copy fault fix-ups, for the page-fault handler.
#pragma once

#include <stdint.h>

namespace kernel::mm {

// Where a kernel-mode page fault at `rip` on `fault_address` resumes: the fix-up of a user-access
// instruction of arch/x86_64/user_copy.S when the address is in the user half (the routine then
// reports failure), or of the self-test write probe for any address; 0 when the fault is a bug.
[[nodiscard]] uint64_t user_copy_fixup(uint64_t rip, uint64_t fault_address);

// Tells the copy routines whether CR4.SMAP is on (they then bracket user access with stac/clac).
void set_user_copy_smap(bool enabled);

// Reads one byte at a user address without opening SMAP (no stac); true if it did not fault.
// Only for the self test: with SMAP on, a mapped user page must still fault.
[[nodiscard]] bool probe_user_read_without_stac(uint64_t addr);
// Rewrites one byte of kernel memory with its own value; true if it did not fault. Only for the
// self test that read-only kernel sections are write-protected.
[[nodiscard]] bool probe_kernel_write(uint64_t addr);

}  // namespace kernel::mm
