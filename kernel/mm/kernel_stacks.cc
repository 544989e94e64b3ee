// Kernel stacks in their own area, each in a fixed slot whose lowest page stays unmapped as a
// guard, so an overflow faults instead of corrupting whatever lies below.
#include "mm/memory.h"
#include "mm/mm_internal.h"

namespace kernel::mm {
namespace {

// 64 KiB slots: one guard page and up to 15 stack pages. 16384 slots fill the 1 GiB area.
constexpr uint64_t kSlotSize = 64 * 1024;
constexpr size_t kMaxStackPages = kSlotSize / mu::kPageSize - 1;
constexpr size_t kSlotCount = (kKernelStackAreaEnd - kKernelStackAreaBase) / kSlotSize;

uint64_t g_slot_used[kSlotCount / 64];

// Lowest free slot, marked used; kSlotCount when all are taken.
size_t take_slot() {
  for (size_t word = 0; word < kSlotCount / 64; ++word) {
    if (g_slot_used[word] == ~0ULL) continue;
    const size_t bit = static_cast<size_t>(__builtin_ctzll(~g_slot_used[word]));
    g_slot_used[word] |= 1ULL << bit;
    return word * 64 + bit;
  }
  return kSlotCount;
}

void release_slot(size_t slot) { g_slot_used[slot / 64] &= ~(1ULL << (slot % 64)); }

// Unmaps and frees the first `pages` stack pages of a slot starting at `bottom`.
void release_pages(uint64_t bottom, size_t pages) {
  for (size_t i = 0; i < pages; ++i) {
    const uint64_t virt = bottom + i * mu::kPageSize;
    mu::PageTableBuilder builder(table_memory(), kernel_root());
    const auto t = builder.translate(virt);
    unmap_kernel(virt, mu::kPageSize);
    if (t.present) free_frame(t.phys);
  }
}

}  // namespace

bool alloc_kernel_stack(size_t pages, KernelStack* out) {
  if (pages == 0 || pages > kMaxStackPages) return false;
  const size_t slot = take_slot();
  if (slot == kSlotCount) return false;
  // The stack occupies the top `pages` pages of the slot; everything below is unmapped, so
  // there is always at least one guard page under it.
  const uint64_t top = kKernelStackAreaBase + (slot + 1) * kSlotSize;
  const uint64_t bottom = top - pages * mu::kPageSize;
  for (size_t i = 0; i < pages; ++i) {
    const uint64_t frame = alloc_frame();
    const mu::PagingError error =
        frame == 0 ? mu::PagingError::OutOfMemory
                   : map_kernel(bottom + i * mu::kPageSize, frame, mu::kPageSize, {.write = true});
    if (error != mu::PagingError::None) {
      if (frame != 0) free_frame(frame);
      release_pages(bottom, i);
      release_slot(slot);
      return false;
    }
  }
  out->bottom = bottom;
  out->top = top;
  return true;
}

void free_kernel_stack(const KernelStack& stack) {
  const size_t pages = (stack.top - stack.bottom) / mu::kPageSize;
  release_pages(stack.bottom, pages);
  release_slot((stack.bottom - kKernelStackAreaBase) / kSlotSize);
}

}  // namespace kernel::mm
