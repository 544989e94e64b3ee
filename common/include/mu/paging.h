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
  // Takes back a table page that PageTableBuilder::free_tables unlinked. The default keeps it
  // (muboot never frees its tables).
  virtual void free_table(uint64_t phys) { (void)phys; }

 protected:
  ~PageTableMemory() = default;
};

enum class PagingError : uint32_t {
  None = 0,
  Misaligned,       // virt, phys or size not 4 KiB aligned
  NonCanonical,     // virtual range not canonical or wraps
  OutOfMemory,      // alloc_table returned 0
  AlreadyMapped,    // part of the range is already mapped
  NotMapped,        // protect: part of the range is not mapped
  SplitsLargePage,  // unmap/protect: the range covers only part of a 2 MiB or 1 GiB page
  NotUserRange,     // an address-space operation outside the user half
};

// Virtual pages whose translations changed and must be invalidated in the TLB (Intel SDM vol 3A
// §4.10.4.1: INVLPG with any address in a large page invalidates the whole page). Past
// kCapacity entries it only records that a full flush is needed.
struct TlbFlushList {
  static constexpr size_t kCapacity = 32;
  uint64_t pages[kCapacity] = {};
  size_t count = 0;
  bool full_flush = false;

  void add(uint64_t virt) {
    if (count < kCapacity) {
      pages[count++] = virt;
    } else {
      full_flush = true;
    }
  }
  [[nodiscard]] bool empty() const { return count == 0 && !full_flush; }
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

  // Removes every mapping in [virt, virt+size). Holes are skipped; a 2 MiB/1 GiB page that the
  // range covers only in part is refused (SplitsLargePage) before anything changes. Page-table
  // pages stay linked (free_tables releases them). Each removed leaf is added to `flush`.
  [[nodiscard]] PagingError unmap(uint64_t virt, uint64_t size, TlbFlushList* flush);

  // Gives every page in [virt, virt+size) the permissions `perms`, keeping its frame and size.
  // Every page must be mapped (NotMapped) and large pages covered whole (SplitsLargePage);
  // checked before anything changes. Each changed leaf is added to `flush`.
  [[nodiscard]] PagingError protect(uint64_t virt, uint64_t size, PagePerms perms,
                                    TlbFlushList* flush);

  // Unlinks and frees (memory.free_table) every page table below PML4 entries
  // [first_index, end_index), clearing those entries. The mapped frames themselves are not
  // touched. The root stays. Precondition: the tables are not in use by any CPU.
  void free_tables(size_t first_index, size_t end_index);

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
