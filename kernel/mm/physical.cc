// Physical frames for the kernel: the bitmap FrameAllocator fed from the BootInfo memory map.
#include "debug/panic.h"
#include "mm/frame_allocator.h"
#include "mm/memory.h"
#include "mm/mm_internal.h"

namespace kernel::mm {
namespace {

FrameAllocator g_frames;

// Regions handed back by reclaim_boot_memory(), copied at init so the BootInfo may go away.
mu::MemoryRegion g_reclaimable[mu::kMaxMemoryRegions];
uint32_t g_reclaimable_count = 0;
bool g_reclaimed = false;
uint64_t g_frames_allocated = 0;  // frames_allocated()

bool is_reclaimable(mu::MemoryType type) {
  return type == mu::MemoryType::BootReclaimable || type == mu::MemoryType::BootPageTables ||
         type == mu::MemoryType::BootInfo;
}

}  // namespace

void init_frames(const mu::BootInfo& info) {
  // The bitmaps cover every frame that is or will become allocatable.
  uint64_t phys_end = 0;
  for (uint32_t i = 0; i < info.region_count; ++i) {
    const mu::MemoryRegion& region = info.regions[i];
    if (region.type != mu::MemoryType::Usable && !is_reclaimable(region.type)) continue;
    const uint64_t end = region.base + region.length;
    if (end > phys_end) phys_end = end;
    if (is_reclaimable(region.type)) g_reclaimable[g_reclaimable_count++] = region;
  }

  // The bitmaps live at the start of the first usable region big enough for them (reached
  // through the loader's direct map, which covers all RAM).
  const size_t words = FrameAllocator::storage_words(phys_end);
  const uint64_t bytes = (words * sizeof(uint64_t) + mu::kPageSize - 1) & ~(mu::kPageSize - 1);
  uint64_t storage_phys = 0;
  for (uint32_t i = 0; i < info.region_count && storage_phys == 0; ++i) {
    const mu::MemoryRegion& region = info.regions[i];
    // Frame 0 is never managed; skip it so the storage cannot start at physical 0.
    const uint64_t base = region.base == 0 ? mu::kPageSize : region.base;
    if (region.type == mu::MemoryType::Usable && region.base + region.length >= base + bytes) {
      storage_phys = base;
    }
  }
  if (storage_phys == 0) panic("mm: no usable region holds the %lu-byte frame bitmap", bytes);

  auto* storage = static_cast<uint64_t*>(phys_to_virt(storage_phys));
  if (!g_frames.init(storage, words, phys_end)) panic("mm: frame allocator init failed");
  for (uint32_t i = 0; i < info.region_count; ++i) {
    const mu::MemoryRegion& region = info.regions[i];
    if (region.type == mu::MemoryType::Usable)
      (void)g_frames.add_free_range(region.base, region.length);
  }
  (void)g_frames.reserve_range(storage_phys, bytes);
}

uint64_t reclaim_frames() {
  if (g_reclaimed) return 0;
  g_reclaimed = true;
  uint64_t frames = 0;
  for (uint32_t i = 0; i < g_reclaimable_count; ++i) {
    frames += g_frames.add_free_range(g_reclaimable[i].base, g_reclaimable[i].length);
  }
  return frames * mu::kPageSize;
}

uint64_t alloc_frame() {
  const uint64_t phys = g_frames.alloc();
  if (phys == FrameAllocator::kNoFrame) return 0;
  ++g_frames_allocated;
  __builtin_memset(phys_to_virt(phys), 0, mu::kPageSize);
  return phys;
}

uint64_t alloc_contiguous_frames(size_t count, size_t align_frames) {
  const uint64_t phys = g_frames.alloc_contiguous(count, align_frames);
  if (phys == FrameAllocator::kNoFrame) return 0;
  g_frames_allocated += count;
  __builtin_memset(phys_to_virt(phys), 0, count * mu::kPageSize);
  return phys;
}

void free_frame(uint64_t phys) {
  const FrameStatus status = g_frames.free(phys);
  switch (status) {
    case FrameStatus::Ok: return;
    case FrameStatus::DoubleFree: panic("mm: double free of frame 0x%lx", phys);
    case FrameStatus::NotManaged:
      panic("mm: free of frame 0x%lx the allocator never managed", phys);
    case FrameStatus::Misaligned: panic("mm: free of misaligned frame address 0x%lx", phys);
  }
  panic("mm: free of frame 0x%lx: unknown status", phys);
}

uint64_t withdraw_free_blocks(uint64_t keep_frames, uint64_t max_blocks,
                              void (*out)(void* context, uint64_t base, unsigned size_bits),
                              void* context) {
  constexpr unsigned kMaxOrder = 35;  // 2^47 bytes, the largest untyped
  const size_t frames = g_frames.frame_capacity();
  uint64_t kept = 0, blocks = 0, withdrawn = 0;
  size_t frame = g_frames.next_free_frame(0);
  while (frame < frames && blocks < max_blocks) {
    size_t run = g_frames.free_run_length(frame, frames - frame);
    if (kept < keep_frames) {  // the lowest free frames stay with the kernel
      const size_t take = run < keep_frames - kept ? run : keep_frames - kept;
      kept += take;
      frame += take;
      run -= take;
    }
    // Cut the run into the largest naturally aligned power-of-two blocks.
    const size_t end = frame + run;
    while (frame < end && blocks < max_blocks) {
      unsigned order = frame == 0 ? kMaxOrder : static_cast<unsigned>(__builtin_ctzll(frame));
      if (order > kMaxOrder) order = kMaxOrder;
      while ((size_t{1} << order) > end - frame) --order;
      const uint64_t bytes = uint64_t{1} << (order + FrameAllocator::kFrameShift);
      (void)g_frames.reserve_range(uint64_t{frame} << FrameAllocator::kFrameShift, bytes);
      out(context, uint64_t{frame} << FrameAllocator::kFrameShift,
          order + FrameAllocator::kFrameShift);
      withdrawn += bytes;
      ++blocks;
      frame += size_t{1} << order;
    }
    frame = g_frames.next_free_frame(frame);
  }
  return withdrawn;
}

uint64_t free_frame_count() { return g_frames.free_frames(); }

uint64_t frames_allocated() { return g_frames_allocated; }
uint64_t total_frame_count() { return g_frames.total_frames(); }

}  // namespace kernel::mm
