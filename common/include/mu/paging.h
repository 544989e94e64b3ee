// x86-64 4-level page-table builder over an abstract physical memory (muboot, kernel, host tests).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace mu {

inline constexpr uint64_t kPageSize = 4096;
inline constexpr uint64_t kLargePageSize = 2ULL << 20;  // 2 MiB
inline constexpr uint64_t kHugePageSize = 1ULL << 30;   // 1 GiB

// Intel SDM vol 3A §4.5 page-table entry bits.
inline constexpr uint64_t kPtePresent = 1ULL << 0;
inline constexpr uint64_t kPteWritable = 1ULL << 1;
inline constexpr uint64_t kPteUser = 1ULL << 2;
inline constexpr uint64_t kPteWriteThrough = 1ULL << 3;
inline constexpr uint64_t kPteCacheDisable = 1ULL << 4;
inline constexpr uint64_t kPteLarge = 1ULL << 7;  // PS in a PDPTE/PDE
inline constexpr uint64_t kPteGlobal = 1ULL << 8;
inline constexpr uint64_t kPteNoExecute = 1ULL << 63;
inline constexpr uint64_t kPteAddressMask = 0x000FFFFFFFFFF000ULL;

// What a mapping allows. Read is implied by any mapping.
struct PagePerms {
  bool write = false;
  bool execute = false;
  bool user = false;
  bool global = false;
  bool uncached = false;
};

// The seam between the page-table logic and real memory: muboot backs it with UEFI pages,
// the kernel with its frame allocator and HHDM, tests with a simulated physical memory.
class PageTableMemory {
 public:
  // A zeroed, 4 KiB-aligned physical page for a table, or 0 when memory is exhausted.
  virtual uint64_t alloc_table() = 0;
  // Where the table at physical address `phys` can be read and written by this code.
  virtual uint64_t* table_at(uint64_t phys) = 0;

 protected:
  ~PageTableMemory() = default;
};

enum class PagingError : uint32_t {
  None = 0,
  Misaligned,      // virt, phys or size not 4 KiB aligned
  NonCanonical,    // virtual range not canonical or wraps
  OutOfMemory,     // alloc_table returned 0
  AlreadyMapped,   // part of the range is already mapped
};

[[nodiscard]] const char* paging_error_string(PagingError error);

class PageTableBuilder {
 public:
  // `root` is the physical address of a zeroed PML4 (from memory.alloc_table()).
  PageTableBuilder(PageTableMemory& memory, uint64_t root) : memory_(memory), root_(root) {}

  // Maps [virt, virt+size) to [phys, phys+size). Uses 2 MiB (and, if `allow_huge`, 1 GiB) pages
  // wherever virt and phys are both aligned and the rest of the range covers them.
  [[nodiscard]] PagingError map(uint64_t virt, uint64_t phys, uint64_t size, PagePerms perms,
                                bool allow_large = true, bool allow_huge = false);

  struct Translation {
    bool present = false;
    uint64_t phys = 0;
    bool write = false;
    bool execute = false;
    bool user = false;
    uint64_t page_size = 0;
  };
  // Walks the tables for `virt`; effective permissions combine all levels.
  [[nodiscard]] Translation translate(uint64_t virt) const;

  [[nodiscard]] uint64_t root() const { return root_; }

 private:
  PageTableMemory& memory_;
  uint64_t root_;
};

}  // namespace mu
