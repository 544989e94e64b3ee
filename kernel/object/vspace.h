// VSpace, page-table and frame objects: address spaces built from caller-supplied objects.
// Syscalls in syscall/sys_vspace.cc; these functions are also how the kernel builds init.
//
// Capability words (capability.h leaves them to each type):
//   VSpace cap:            word0 = ASID, the index of the address space in the kernel's table of
//                          live VSpaces (1 .. kMaxAsids-1; assigned at retype, freed on destroy)
//   Frame / page-table cap: word0 = user address it is mapped at (0 = not mapped; address 0 is
//                          never mappable), word1 = ASID of the VSpace it is mapped in.
//                          A page-table cap's word0 is the start of the range its table covers
//                          with bit 0 set (the Pdpt for [0, 512 GiB) starts at 0): base | 1.
// A VSpace cap whose ASID does not name its PML4 (only possible if retype ran out of ASIDs, which
// kernel_retype prevents) is refused with IllegalOperation.
// Each table is linked in at most one place, and is zeroed whenever its cap's mapping record is
// dropped (vspace_core.cc explains why this keeps every mapping inside live memory).
// A mapping is undone through the ASID, so a cap whose VSpace was destroyed (ASID freed or reused)
// never writes into memory that is no longer that page table.
#pragma once

#include <stdint.h>

#include "mu/syscall.h"
#include "object/capability.h"

namespace kernel::object {

inline constexpr uint64_t kMaxAsids = 4096;

// kernel_retype asks before creating `count` VSpaces (NotEnoughMemory when ASIDs ran out).
[[nodiscard]] bool vspace_asids_available(uint64_t count);
// Retype hook: a fresh VSpace (zeroed PML4) gets the kernel half (entries 256-511) and an ASID
// written into cap->word0.
void vspace_created(Capability* cap);
// DestroyHook: frees the ASID; the address space can no longer be loaded or mapped into.
void vspace_destroyed(const Capability& cap);
// A Frame or page-table capability is deleted: undo the mapping it records, if any.
void mapping_cap_deleted(const Capability& cap);

// The operations behind the syscalls (arguments already looked up; every check done inside).
// `table` is a Pdpt, PageDirectory or PageTable cap; the level follows from its type.
[[nodiscard]] mu::Status map_page_table(Slot* table, Slot* vspace, uint64_t vaddr);
[[nodiscard]] mu::Status unmap_page_table(Slot* table);
// `flags` are mu::kMapWrite / mu::kMapExecute (mu/ipc.h). Error orders: vspace_core.cc.
[[nodiscard]] mu::Status map_frame(Slot* frame, Slot* vspace, uint64_t vaddr, uint64_t flags);
[[nodiscard]] mu::Status unmap_frame(Slot* frame);
[[nodiscard]] mu::Status remap_frame(Slot* frame, uint64_t flags);
// The physical address of a Frame4K/Frame2M (needs the read right).
[[nodiscard]] mu::Status frame_address(const Slot* frame, uint64_t* out);
// Physical address of the PML4 of a live ASID, 0 when the ASID is free.
[[nodiscard]] uint64_t vspace_root(uint64_t asid);

}  // namespace kernel::object
