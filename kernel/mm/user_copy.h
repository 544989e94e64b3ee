// The user-copy fault fix-ups, for the page-fault handler.
#pragma once

#include <stdint.h>

namespace kernel::mm {

// If `rip` is a user-access instruction of arch/x86_64/user_copy.S, where execution resumes
// after a page fault there (the routine then reports failure); 0 otherwise.
[[nodiscard]] uint64_t user_copy_fixup(uint64_t rip);

// Tells the copy routines whether CR4.SMAP is on (they then bracket user access with stac/clac).
void set_user_copy_smap(bool enabled);

// Reads one byte at a user address without opening SMAP (no stac); true if it did not fault.
// Only for the self test: with SMAP on, a mapped user page must still fault.
[[nodiscard]] bool probe_user_read_without_stac(uint64_t addr);

}  // namespace kernel::mm
