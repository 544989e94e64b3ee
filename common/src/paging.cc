// x86-64 4-level paging: validate a whole range first, then map it (decode-then-perform).
#include "mu/paging.h"

namespace mu {
namespace {

// Levels as used below: 3 = PML4, 2 = PDPT, 1 = PD, 0 = PT (Intel SDM vol 3A §4.5, Figure 4-8).
constexpr int kTopLevel = 3;
constexpr uint64_t kEntriesPerTable = 512;
constexpr uint64_t kPageMask = kPageSize - 1;
constexpr uint64_t kUserHalfEnd = 0x0000800000000000ULL;
constexpr uint64_t kKernelHalfStart = 0xFFFF800000000000ULL;
// MAXPHYADDR is at most 52 (SDM vol 3A §4.1.4); kPteAddressMask holds bits 12..51.
constexpr uint64_t kMaxPhysLast = (1ULL << 52) - 1;

constexpr uint64_t level_size(int level) { return 1ULL << (12 + 9 * level); }

constexpr size_t index_of(uint64_t virt, int level) {
  return static_cast<size_t>((virt >> (12 + 9 * level)) & (kEntriesPerTable - 1));
}

// A PDPTE or PDE with PS set maps a 1 GiB or 2 MiB page (SDM vol 3A §4.5.4, Tables 4-16/4-18);
// a PTE always maps; bit 7 of a PML4E is reserved and never means "leaf".
constexpr bool is_leaf(uint64_t entry, int level) {
  return level == 0 || (level <= 2 && (entry & kPteLarge) != 0);
}

// Last address of the entry at `level` containing `virt`, clipped to `last`.
constexpr uint64_t chunk_last(uint64_t virt, int level, uint64_t last) {
  const uint64_t entry_last = virt | (level_size(level) - 1);
  return entry_last < last ? entry_last : last;
}

constexpr bool is_canonical(uint64_t virt) {
  return virt < kUserHalfEnd || virt >= kKernelHalfStart;
}

struct MapRequest {
  uint64_t virt;  // first address
  uint64_t last;  // last address (inclusive, so a range ending at 2^64 is representable)
  uint64_t phys;  // physical address for `virt`
  PagePerms perms;
  bool allow_large;
  bool allow_huge;
};

uint64_t leaf_flags(const PagePerms& perms, int level) {
  uint64_t flags = kPtePresent;
  if (perms.write) flags |= kPteWritable;
  if (perms.user) flags |= kPteUser;
  if (perms.global) flags |= kPteGlobal;
  // PCD|PWT with PAT bits 0 selects PAT entry 3, UC in the power-on PAT (SDM vol 3A §11.12.3).
  if (perms.uncached) flags |= kPteCacheDisable | kPteWriteThrough;
  if (!perms.execute) flags |= kPteNoExecute;
  if (level > 0) flags |= kPteLarge;
  return flags;
}

}  // namespace

const char* paging_error_string(PagingError error) {
  switch (error) {
    case PagingError::None: return "ok";
    case PagingError::Misaligned: return "address or size not page-aligned";
    case PagingError::NonCanonical: return "address range not canonical or wraps";
    case PagingError::OutOfMemory: return "out of memory for page tables";
    case PagingError::AlreadyMapped: return "range already mapped";
    case PagingError::NotMapped: return "range not mapped";
    case PagingError::SplitsLargePage: return "range covers part of a large page";
    case PagingError::NotUserRange: return "range not in the user half";
  }
  return "unknown paging error";
}

namespace {

// The walkers take the table memory explicitly so they can stay free functions.

// True when nothing in [virt, last] is mapped under the table at `table_phys`.
bool range_unmapped(PageTableMemory& memory, uint64_t table_phys, int level, uint64_t virt,
                    uint64_t last) {
  const uint64_t* table = memory.table_at(table_phys);
  for (;;) {
    const uint64_t end = chunk_last(virt, level, last);
    const uint64_t entry = table[index_of(virt, level)];
    if ((entry & kPtePresent) != 0) {
      if (is_leaf(entry, level)) return false;
      if (!range_unmapped(memory, entry & kPteAddressMask, level - 1, virt, end)) return false;
    }
    if (end == last) return true;
    virt = end + 1;
  }
}

// Clears every leaf in [virt, last]. Used only to undo a failed map over a range that
// range_unmapped proved empty, so every leaf found there was written by that map call.
void clear_leaves(PageTableMemory& memory, uint64_t table_phys, int level, uint64_t virt,
                  uint64_t last) {
  uint64_t* table = memory.table_at(table_phys);
  for (;;) {
    const uint64_t end = chunk_last(virt, level, last);
    uint64_t& entry = table[index_of(virt, level)];
    if ((entry & kPtePresent) != 0) {
      if (is_leaf(entry, level)) {
        entry = 0;
      } else {
        clear_leaves(memory, entry & kPteAddressMask, level - 1, virt, end);
      }
    }
    if (end == last) return;
    virt = end + 1;
  }
}

// Maps the part of `req` in [virt, last] under the table at `table_phys`. On OutOfMemory,
// *failed_at is the first address that was not mapped.
PagingError map_range(PageTableMemory& memory, uint64_t table_phys, int level, uint64_t virt,
                      uint64_t last, const MapRequest& req, uint64_t* failed_at) {
  uint64_t* table = memory.table_at(table_phys);
  for (;;) {
    const uint64_t end = chunk_last(virt, level, last);
    const uint64_t phys = req.phys + (virt - req.virt);
    uint64_t& entry = table[index_of(virt, level)];
    const uint64_t size = level_size(level);
    const bool whole_entry = (virt & (size - 1)) == 0 && end - virt == size - 1;
    const bool page_allowed =
        level == 0 || (level == 1 && req.allow_large) || (level == 2 && req.allow_huge);

    // A large leaf only where the slot is still empty: an existing (empty) lower table is
    // reused rather than discarded, since other code may hold its address.
    if (page_allowed && whole_entry && (phys & (size - 1)) == 0 && entry == 0) {
      entry = phys | leaf_flags(req.perms, level);
    } else {
      if ((entry & kPtePresent) == 0) {
        const uint64_t child = memory.alloc_table();
        if (child == 0) {
          *failed_at = virt;
          return PagingError::OutOfMemory;
        }
        entry = child | kPtePresent | kPteWritable;
      }
      // Intermediate entries never restrict: W set, NX clear, U set for user mappings, so the
      // leaf alone decides (SDM vol 3A §4.6: effective rights combine all levels).
      entry = (entry | kPteWritable | (req.perms.user ? kPteUser : 0)) & ~kPteNoExecute;
      PagingError error =
          map_range(memory, entry & kPteAddressMask, level - 1, virt, end, req, failed_at);
      if (error != PagingError::None) return error;
    }
    if (end == last) return PagingError::None;
    virt = end + 1;
  }
}

}  // namespace

PagingError PageTableBuilder::map(uint64_t virt, uint64_t phys, uint64_t size, PagePerms perms,
                                  bool allow_large, bool allow_huge) {
  if (((virt | phys | size) & kPageMask) != 0) return PagingError::Misaligned;
  if (size == 0) return PagingError::None;

  uint64_t last;
  uint64_t phys_last;
  if (__builtin_add_overflow(virt, size - 1, &last) || !is_canonical(virt) || !is_canonical(last) ||
      (virt < kUserHalfEnd) != (last < kUserHalfEnd)) {
    return PagingError::NonCanonical;
  }
  // The physical side has no dedicated error; a range past MAXPHYADDR is as unmappable as a
  // non-canonical virtual one.
  if (__builtin_add_overflow(phys, size - 1, &phys_last) || phys_last > kMaxPhysLast) {
    return PagingError::NonCanonical;
  }

  // Decode: refuse before changing anything.
  if (!range_unmapped(memory_, root_, kTopLevel, virt, last)) return PagingError::AlreadyMapped;

  // Perform. Only table allocation can fail now; undo the leaves already written so the
  // caller sees no partial mapping. Tables allocated on the way stay linked but empty: the
  // interface has no way to free them, and they are reused by later maps.
  const MapRequest req{virt, last, phys, perms, allow_large, allow_huge};
  uint64_t failed_at = 0;
  const PagingError error = map_range(memory_, root_, kTopLevel, virt, last, req, &failed_at);
  if (error != PagingError::None && failed_at > virt) {
    clear_leaves(memory_, root_, kTopLevel, virt, failed_at - 1);
  }
  return error;
}

namespace {

// Checks [virt, last] for unmap (holes allowed) or protect (every page mapped): no leaf may be
// covered only in part, since splitting a large page would need memory in the perform step.
PagingError check_leaves(PageTableMemory& memory, uint64_t table_phys, int level, uint64_t virt,
                         uint64_t last, bool require_mapped) {
  const uint64_t* table = memory.table_at(table_phys);
  for (;;) {
    const uint64_t end = chunk_last(virt, level, last);
    const uint64_t entry = table[index_of(virt, level)];
    if ((entry & kPtePresent) == 0) {
      if (require_mapped) return PagingError::NotMapped;
    } else if (is_leaf(entry, level)) {
      const uint64_t size = level_size(level);
      if ((virt & (size - 1)) != 0 || end - virt != size - 1) return PagingError::SplitsLargePage;
    } else {
      const PagingError error =
          check_leaves(memory, entry & kPteAddressMask, level - 1, virt, end, require_mapped);
      if (error != PagingError::None) return error;
    }
    if (end == last) return PagingError::None;
    virt = end + 1;
  }
}

// Rewrites every leaf in [virt, last] (which check_leaves accepted): clears it when `perms` is
// null, else gives it `perms`. Intermediate entries gain U for user permissions, as in map.
void rewrite_leaves(PageTableMemory& memory, uint64_t table_phys, int level, uint64_t virt,
                    uint64_t last, const PagePerms* perms, TlbFlushList* flush) {
  uint64_t* table = memory.table_at(table_phys);
  for (;;) {
    const uint64_t end = chunk_last(virt, level, last);
    uint64_t& entry = table[index_of(virt, level)];
    if ((entry & kPtePresent) != 0) {
      if (is_leaf(entry, level)) {
        const uint64_t frame = entry & kPteAddressMask & ~(level_size(level) - 1);
        entry = perms == nullptr ? 0 : frame | leaf_flags(*perms, level);
        if (flush != nullptr) flush->add(virt);
      } else {
        if (perms != nullptr && perms->user) entry |= kPteUser;
        rewrite_leaves(memory, entry & kPteAddressMask, level - 1, virt, end, perms, flush);
      }
    }
    if (end == last) return;
    virt = end + 1;
  }
}

// Frees the table at `table_phys` (at `level`) and every table below it.
void free_subtree(PageTableMemory& memory, uint64_t table_phys, int level) {
  if (level > 0) {
    uint64_t* table = memory.table_at(table_phys);
    for (size_t i = 0; i < kEntriesPerTable; ++i) {
      const uint64_t entry = table[i];
      if ((entry & kPtePresent) != 0 && !is_leaf(entry, level)) {
        free_subtree(memory, entry & kPteAddressMask, level - 1);
      }
      table[i] = 0;
    }
  }
  memory.free_table(table_phys);
}

// The checks map, unmap and protect share: alignment, canonical, one half, no wrap.
PagingError check_virtual_range(uint64_t virt, uint64_t size, uint64_t* last) {
  if (((virt | size) & kPageMask) != 0) return PagingError::Misaligned;
  if (__builtin_add_overflow(virt, size - 1, last) || !is_canonical(virt) || !is_canonical(*last) ||
      (virt < kUserHalfEnd) != (*last < kUserHalfEnd)) {
    return PagingError::NonCanonical;
  }
  return PagingError::None;
}

}  // namespace

PagingError PageTableBuilder::unmap(uint64_t virt, uint64_t size, TlbFlushList* flush) {
  if (size == 0) return ((virt & kPageMask) != 0) ? PagingError::Misaligned : PagingError::None;
  uint64_t last = 0;
  PagingError error = check_virtual_range(virt, size, &last);
  if (error == PagingError::None)
    error = check_leaves(memory_, root_, kTopLevel, virt, last, false);
  if (error != PagingError::None) return error;
  rewrite_leaves(memory_, root_, kTopLevel, virt, last, nullptr, flush);
  return PagingError::None;
}

PagingError PageTableBuilder::protect(uint64_t virt, uint64_t size, PagePerms perms,
                                      TlbFlushList* flush) {
  if (size == 0) return ((virt & kPageMask) != 0) ? PagingError::Misaligned : PagingError::None;
  uint64_t last = 0;
  PagingError error = check_virtual_range(virt, size, &last);
  if (error == PagingError::None) error = check_leaves(memory_, root_, kTopLevel, virt, last, true);
  if (error != PagingError::None) return error;
  rewrite_leaves(memory_, root_, kTopLevel, virt, last, &perms, flush);
  return PagingError::None;
}

void PageTableBuilder::free_tables(size_t first_index, size_t end_index) {
  uint64_t* pml4 = memory_.table_at(root_);
  if (end_index > kEntriesPerTable) end_index = kEntriesPerTable;
  for (size_t i = first_index; i < end_index; ++i) {
    const uint64_t entry = pml4[i];
    pml4[i] = 0;
    if ((entry & kPtePresent) != 0) free_subtree(memory_, entry & kPteAddressMask, kTopLevel - 1);
  }
}

PageTableBuilder::Translation PageTableBuilder::translate(uint64_t virt) const {
  Translation result;
  if (!is_canonical(virt)) return result;
  bool write = true;
  bool user = true;
  bool execute = true;
  uint64_t table_phys = root_;
  for (int level = kTopLevel; level >= 0; --level) {
    const uint64_t entry = memory_.table_at(table_phys)[index_of(virt, level)];
    if ((entry & kPtePresent) == 0) return result;
    write = write && (entry & kPteWritable) != 0;
    user = user && (entry & kPteUser) != 0;
    execute = execute && (entry & kPteNoExecute) == 0;
    if (is_leaf(entry, level)) {
      const uint64_t size = level_size(level);
      result.present = true;
      result.phys = (entry & kPteAddressMask & ~(size - 1)) | (virt & (size - 1));
      result.write = write;
      result.execute = execute;
      result.user = user;
      result.page_size = size;
      return result;
    }
    table_phys = entry & kPteAddressMask;
  }
  return result;  // not reached: level 0 entries are always leaves
}

}  // namespace mu
