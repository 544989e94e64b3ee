// VSpace, page-table and frame objects: address spaces built from caller-supplied objects.
// Syscalls in syscall/sys_vspace.cc.
#pragma once

#include <stdint.h>

#include "object/capability.h"

namespace kernel::object {

// Retype hook: a fresh VSpace (zeroed PML4) gets the kernel half (entries 256-511).
void vspace_created(uint64_t phys);
// DestroyHook: the address space can no longer be loaded or mapped into.
void vspace_destroyed(const Capability& cap);
// A Frame or page-table capability is deleted: undo the mapping it records, if any.
void mapping_cap_deleted(const Capability& cap);

}  // namespace kernel::object
