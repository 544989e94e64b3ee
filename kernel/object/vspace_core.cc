// ASID table and page-table walks for VSpace, page-table and frame objects.
//
// Safety argument (why no mapping outlives the memory it points at):
//  1. A table object is linked into at most one place at a time: map_page_table refuses a table
//     when any capability to it records a mapping (copies start unmapped, so without this check
//     a copy could link the same table twice, and a frame mapped through one link would stay
//     reachable through the other after its cap's unmap found only the first).
//  2. Whenever a table cap's mapping record is dropped (unmap, delete of the cap) the table is
//     zeroed as well, whether or not it was still linked. So a table whose link vanished under it
//     (its parent was unmapped or its VSpace destroyed) keeps its entries only while its own cap
//     still records the old mapping, and by 1 it cannot be linked again before they are gone.
//  3. Hence an entry reachable from a live PML4 lies on the path its cap recorded, and deleting
//     that cap finds and clears it; a record that no longer leads to this object's entry (stale
//     ASID, path unlinked) names nothing the hardware can reach.
// A stale frame record whose ASID was reused can only match an entry that maps the same frame at
// the same address (a copy's mapping); acting on it unmaps or re-protects that mapping with this
// cap's authority over the same frame (seL4 has the same property). Next-fit ASID allocation
// makes that reuse rare.
#include "object/vspace_core.h"

#include "mm/user_range.h"
#include "mu/ipc.h"
#include "mu/paging.h"
#include "object/cdt.h"

namespace kernel::object {
namespace {

constexpr uint64_t kEntries = 512;
constexpr uint64_t kFirstKernelEntry = 256;
// Bit 0 of a table cap's word0 marks it mapped: the Pdpt for [0, 512 GiB) (and the first page
// directory and page table) cover address 0, so the address alone could be 0.
constexpr uint64_t kTableMappedBit = 1;
// Intermediate entries allow everything; the leaf decides (Intel SDM vol 3A §4.6: the effective
// rights are the intersection over all levels).
constexpr uint64_t kTableEntryBits = mu::kPtePresent | mu::kPteWritable | mu::kPteUser;
constexpr uint64_t kKnownMapFlags = mu::kMapWrite | mu::kMapExecute;

// Paging level whose table holds the entry for an object of `type` (4 = PML4 ... 1 = page table),
// 0 for types that are not mapped.
unsigned entry_level(ObjectType type) {
  switch (type) {
    case ObjectType::Pdpt: return 4;
    case ObjectType::PageDirectory: return 3;
    case ObjectType::PageTable:
    case ObjectType::Frame2M: return 2;
    case ObjectType::Frame4K: return 1;
    default: return 0;
  }
}

bool is_table(ObjectType type) {
  return type == ObjectType::Pdpt || type == ObjectType::PageDirectory ||
         type == ObjectType::PageTable;
}
bool is_frame(ObjectType type) {
  return type == ObjectType::Frame4K || type == ObjectType::Frame2M;
}

// log2 of the address range one entry at `level` covers (level 1: 4 KiB ... level 4: 512 GiB).
unsigned entry_shift(unsigned level) { return 12 + 9 * (level - 1); }
uint64_t entry_index(uint64_t vaddr, unsigned level) {
  return (vaddr >> entry_shift(level)) & (kEntries - 1);
}

// The address a mapping record names (table caps carry kTableMappedBit).
uint64_t recorded_vaddr(const Capability& cap) { return cap.word0 & ~kTableMappedBit; }

// The checks map and remap share: known flags, W^X, and the rights the flags need.
mu::Status check_frame_flags(const Capability& frame, uint64_t flags) {
  if ((flags & ~kKnownMapFlags) != 0) return mu::Status::InvalidArgument;
  if ((flags & mu::kMapWrite) != 0 && (flags & mu::kMapExecute) != 0)
    return mu::Status::InvalidArgument;
  if (!frame.rights.can_read()) return mu::Status::InsufficientRights;
  if ((flags & mu::kMapWrite) != 0 && !frame.rights.can_write())
    return mu::Status::InsufficientRights;
  return mu::Status::Ok;
}

uint64_t leaf_entry(const Capability& frame, uint64_t flags) {
  uint64_t entry = frame.object | mu::kPtePresent | mu::kPteUser;
  if ((flags & mu::kMapWrite) != 0) entry |= mu::kPteWritable;
  if ((flags & mu::kMapExecute) == 0) entry |= mu::kPteNoExecute;
  if (frame.type == ObjectType::Frame2M) entry |= mu::kPteLarge;
  return entry;
}

// Whether any capability to the object `slot` names, other than `slot` itself, records a
// mapping. All caps to one object form one run of siblings with their subtrees (cdt.h).
bool other_cap_mapped(Slot* slot) {
  const Capability& cap = slot->cap;
  Slot* first = slot;
  while (first->parent != nullptr && same_object(first->parent->cap, cap)) first = first->parent;
  while (first->prev_sibling != nullptr && same_object(first->prev_sibling->cap, cap))
    first = first->prev_sibling;
  for (Slot* s = first; s != nullptr && same_object(s->cap, cap); s = s->next_sibling) {
    for (Slot* d = s; d != nullptr; d = cdt_next_descendant(s, d)) {
      if (d != slot && d->cap.word0 != 0 && same_object(d->cap, cap)) return true;
    }
  }
  return false;
}

}  // namespace

bool VSpaceTable::asids_available(uint64_t count) const { return count <= (kMaxAsids - 1) - live_; }

uint64_t VSpaceTable::root_of(uint64_t asid) const {
  return (asid == 0 || asid >= kMaxAsids) ? 0 : roots_[asid];
}

void VSpaceTable::created(Capability* cap) {
  cap->word0 = 0;  // unusable (IllegalOperation) if no ASID is left; retype checks first
  for (uint64_t tries = 0; tries < kMaxAsids - 1; ++tries) {
    const uint64_t asid = next_asid_;
    next_asid_ = asid + 1 == kMaxAsids ? 1 : asid + 1;
    if (roots_[asid] != 0) continue;
    const uint64_t* kernel = table_at(hardware_.kernel_root());
    uint64_t* pml4 = table_at(cap->object);
    for (uint64_t i = kFirstKernelEntry; i < kEntries; ++i) pml4[i] = kernel[i];
    roots_[asid] = cap->object;
    ++live_;
    cap->word0 = asid;
    return;
  }
}

void VSpaceTable::destroyed(const Capability& cap) {
  if (root_of(cap.word0) == cap.object) {
    roots_[cap.word0] = 0;
    --live_;
  }
  hardware_.release_root(cap.object);
}

// A VSpace cap is usable while its ASID still names its PML4. Every cap to a VSpace carries the
// ASID retype gave it and the ASID is freed only when the last cap goes, so a failure here means
// the VSpace was created without an ASID (none was left): IllegalOperation.
mu::Status VSpaceTable::live_root(const Capability& vspace, uint64_t* root) const {
  if (vspace.type != ObjectType::VSpace) return mu::Status::WrongType;
  if (root_of(vspace.word0) != vspace.object || vspace.object == 0)
    return mu::Status::IllegalOperation;
  *root = vspace.object;
  return mu::Status::Ok;
}

// The entry for `vaddr` in the table at `level`, walking down from the PML4 at `root`:
// MissingPageTable when a level above is absent, Busy when a 2 MiB frame covers the address.
mu::Status VSpaceTable::find_slot(uint64_t root, uint64_t vaddr, unsigned level, uint64_t** entry) {
  uint64_t* table = table_at(root);
  for (unsigned l = 4; l > level; --l) {
    const uint64_t e = table[entry_index(vaddr, l)];
    if ((e & mu::kPtePresent) == 0) return mu::Status::MissingPageTable;
    if ((e & mu::kPteLarge) != 0) return mu::Status::Busy;
    table = table_at(e & mu::kPteAddressMask);
  }
  *entry = &table[entry_index(vaddr, level)];
  return mu::Status::Ok;
}

// The entry `cap`'s mapping record leads to, if it still maps this very object there; else null.
uint64_t* VSpaceTable::recorded_entry(const Capability& cap, uint64_t* root) {
  const unsigned level = entry_level(cap.type);
  *root = root_of(cap.word1);
  if (cap.word0 == 0 || level == 0 || *root == 0) return nullptr;
  uint64_t* entry = nullptr;
  if (find_slot(*root, recorded_vaddr(cap), level, &entry) != mu::Status::Ok) return nullptr;
  const uint64_t e = *entry;
  const bool large = (e & mu::kPteLarge) != 0 && level > 1;  // bit 7 is PAT in a level-1 entry
  if ((e & mu::kPtePresent) == 0 || (e & mu::kPteAddressMask) != cap.object) return nullptr;
  if (large != (cap.type == ObjectType::Frame2M)) return nullptr;
  return entry;
}

void VSpaceTable::clear_entry(uint64_t root, uint64_t* entry, uint64_t vaddr, bool table) {
  *entry = 0;
  if (hardware_.loaded_root() != root) return;  // flushed when it is next loaded
  // A table takes a whole subtree's translations and paging-structure caches with it.
  if (table) {
    hardware_.flush_loaded();
  } else {
    hardware_.invalidate_page(vaddr);
  }
}

// Undoes a table cap's mapping record: unlinks the table if it is still linked there, and zeroes
// it in any case (point 2 at the top of this file).
void VSpaceTable::unlink_table(const Capability& cap) {
  uint64_t root = 0;
  uint64_t* entry = recorded_entry(cap, &root);
  if (entry != nullptr) clear_entry(root, entry, recorded_vaddr(cap), true);
  uint64_t* table = table_at(cap.object);
  for (uint64_t i = 0; i < kEntries; ++i) table[i] = 0;
}

void VSpaceTable::mapping_cap_deleted(const Capability& cap) {
  if (cap.word0 == 0) return;
  if (is_table(cap.type)) {
    unlink_table(cap);
  } else if (is_frame(cap.type)) {
    uint64_t root = 0;
    uint64_t* entry = recorded_entry(cap, &root);
    if (entry != nullptr) clear_entry(root, entry, cap.word0, false);
  }
}

// Error order: WrongType (table or vspace), IllegalOperation (VSpace without a live ASID),
// InvalidArgument (vaddr outside the user half), Busy (this cap, or another cap to the same
// table, records a mapping), MissingPageTable (a level above), Busy (the entry is in use, by a
// table or a 2 MiB frame).
mu::Status VSpaceTable::map_page_table(Slot* table, Slot* vspace, uint64_t vaddr) {
  Capability& cap = table->cap;
  if (!is_table(cap.type)) return mu::Status::WrongType;
  uint64_t root = 0;
  const mu::Status vs = live_root(vspace->cap, &root);
  if (vs != mu::Status::Ok) return vs;
  if (vaddr >= mm::kUserEnd) return mu::Status::InvalidArgument;
  if (cap.word0 != 0 || other_cap_mapped(table)) return mu::Status::Busy;
  const unsigned level = entry_level(cap.type);
  uint64_t* entry = nullptr;
  const mu::Status walk = find_slot(root, vaddr, level, &entry);
  if (walk != mu::Status::Ok) return walk;
  if (*entry != 0) return mu::Status::Busy;

  // A new entry replaces a not-present one, which no TLB caches (Intel SDM vol 3A §4.10.2.3).
  *entry = cap.object | kTableEntryBits;
  cap.word0 = mm::align_down(vaddr, uint64_t{1} << entry_shift(level)) | kTableMappedBit;
  cap.word1 = vspace->cap.word0;
  return mu::Status::Ok;
}

// Error order: WrongType, NotMapped (the cap records no mapping). A record whose VSpace or link
// is gone still counts as mapped: the call clears it (and the table) and succeeds.
mu::Status VSpaceTable::unmap_page_table(Slot* table) {
  Capability& cap = table->cap;
  if (!is_table(cap.type)) return mu::Status::WrongType;
  if (cap.word0 == 0) return mu::Status::NotMapped;
  unlink_table(cap);
  cap.word0 = cap.word1 = 0;
  return mu::Status::Ok;
}

// Error order: WrongType (frame or vspace), IllegalOperation (VSpace without a live ASID),
// InvalidArgument (unknown flags, write+execute), InsufficientRights (no read right; write
// without the write right), InvalidArgument (vaddr misaligned for the frame size, below 64 KiB,
// or the frame would reach into the last user page or beyond), Busy (the cap is mapped),
// MissingPageTable, Busy (the entry is in use, or a 2 MiB frame covers a 4 KiB address).
mu::Status VSpaceTable::map_frame(Slot* frame, Slot* vspace, uint64_t vaddr, uint64_t flags) {
  Capability& cap = frame->cap;
  if (!is_frame(cap.type)) return mu::Status::WrongType;
  uint64_t root = 0;
  const mu::Status vs = live_root(vspace->cap, &root);
  if (vs != mu::Status::Ok) return vs;
  const mu::Status fs = check_frame_flags(cap, flags);
  if (fs != mu::Status::Ok) return fs;
  const uint64_t size = uint64_t{1} << object_size_bits(cap.type, 0);
  // The last user page stays unmapped (mm/user_range.h: SYSRET and non-canonical RIP).
  const uint64_t limit = mm::kUserEnd - mu::kPageSize;
  if (!mm::is_aligned(vaddr, size) || vaddr < mm::kUserFloor || vaddr >= limit ||
      size > limit - vaddr)
    return mu::Status::InvalidArgument;
  if (cap.word0 != 0) return mu::Status::Busy;
  uint64_t* entry = nullptr;
  const mu::Status walk = find_slot(root, vaddr, entry_level(cap.type), &entry);
  if (walk != mu::Status::Ok) return walk;
  if (*entry != 0) return mu::Status::Busy;

  *entry = leaf_entry(cap, flags);  // replaces a not-present entry: nothing to invalidate
  cap.word0 = vaddr;
  cap.word1 = vspace->cap.word0;
  return mu::Status::Ok;
}

// Error order: WrongType, NotMapped. A stale record (VSpace destroyed, table unlinked) is simply
// dropped: afterwards the cap is unmapped either way.
mu::Status VSpaceTable::unmap_frame(Slot* frame) {
  Capability& cap = frame->cap;
  if (!is_frame(cap.type)) return mu::Status::WrongType;
  if (cap.word0 == 0) return mu::Status::NotMapped;
  mapping_cap_deleted(cap);
  cap.word0 = cap.word1 = 0;
  return mu::Status::Ok;
}

// Error order: WrongType, InvalidArgument (flags), InsufficientRights, NotMapped (no record, or
// the record no longer leads to this frame; FrameUnmap then clears it).
mu::Status VSpaceTable::remap_frame(Slot* frame, uint64_t flags) {
  Capability& cap = frame->cap;
  if (!is_frame(cap.type)) return mu::Status::WrongType;
  const mu::Status fs = check_frame_flags(cap, flags);
  if (fs != mu::Status::Ok) return fs;
  uint64_t root = 0;
  uint64_t* entry = recorded_entry(cap, &root);
  if (entry == nullptr) return mu::Status::NotMapped;

  *entry = leaf_entry(cap, flags);
  if (hardware_.loaded_root() == root) hardware_.invalidate_page(cap.word0);
  return mu::Status::Ok;
}

// Error order: WrongType, InsufficientRights (no read right).
mu::Status VSpaceTable::frame_address(const Slot* frame, uint64_t* out) const {
  if (!is_frame(frame->cap.type)) return mu::Status::WrongType;
  if (!frame->cap.rights.can_read()) return mu::Status::InsufficientRights;
  *out = frame->cap.object;
  return mu::Status::Ok;
}

}  // namespace kernel::object
