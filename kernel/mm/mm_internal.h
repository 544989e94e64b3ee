// Pieces of the memory manager shared between its files (not part of the kernel-wide contract).
#pragma once

#include <stdint.h>

#include "mm/memory.h"
#include "mu/bootinfo.h"
#include "mu/paging.h"

namespace kernel::mm {

// physical.cc: builds the frame allocator from the Usable regions and remembers the
// reclaimable ones; reclaim_frames() hands those in once and returns the bytes added.
void init_frames(const mu::BootInfo& info);
[[nodiscard]] uint64_t reclaim_frames();

// kernel_space.cc: the kernel's page tables (frames from the allocator, reached via the HHDM).
class KernelTableMemory final : public mu::PageTableMemory {
 public:
  uint64_t alloc_table() override;
  uint64_t* table_at(uint64_t phys) override;
  void free_table(uint64_t phys) override;
};
[[nodiscard]] KernelTableMemory& table_memory();
void init_kernel_space(const mu::BootInfo& info);
// Physical address of the kernel's PML4 (its entries 256-511 are shared by every address space).
[[nodiscard]] uint64_t kernel_root();
// Maps/unmaps in the kernel half of the shared tables, with TLB invalidation on this CPU.
[[nodiscard]] mu::PagingError map_kernel(uint64_t virt, uint64_t phys, uint64_t size,
                                         mu::PagePerms perms);
void unmap_kernel(uint64_t virt, uint64_t size);

// tlb: Intel SDM vol 3A §4.10.4.1. INVLPG also drops global entries for that page; a CR3 write
// drops all non-global entries.
inline void invalidate_page(uint64_t virt) { asm volatile("invlpg (%0)" : : "r"(virt) : "memory"); }
inline uint64_t read_page_table_root() {
  uint64_t cr3;
  asm volatile("mov %%cr3, %0" : "=r"(cr3));
  return cr3 & mu::kPteAddressMask;
}
inline void load_page_table_root(uint64_t root) {
  asm volatile("mov %0, %%cr3" : : "r"(root) : "memory");
}
// Applies `flush` when the tables at `root` are the ones loaded on this CPU.
void flush_tlb(uint64_t root, const mu::TlbFlushList& flush);

}  // namespace kernel::mm
