// The direct-map plan: regions and low holes as ascending, non-overlapping pieces.
#include "mm/direct_map_plan.h"

namespace kernel::mm {
namespace {

constexpr uint64_t kPage = 4096;

bool uncached_type(mu::MemoryType type) {
  return type == mu::MemoryType::Mmio || type == mu::MemoryType::Reserved;
}

struct Planner {
  uint64_t limit;
  DirectMapEmit emit;
  void* context;
  uint64_t cursor = 0;  // everything below is planned

  void piece(uint64_t base, uint64_t end, bool uncached) {
    if (end > limit) end = limit;
    if (base < cursor) base = cursor;
    if (base >= end) return;
    emit(context, DirectMapPiece{base, end, uncached});
    cursor = end;
  }
};

}  // namespace

void plan_direct_map(const mu::MemoryRegion* regions, size_t count, uint64_t fb_base,
                     uint64_t fb_size, uint64_t limit, DirectMapEmit emit, void* context) {
  Planner p{limit, emit, context};
  for (size_t i = 0; i < count; ++i) {
    const mu::MemoryRegion& region = regions[i];
    if (region.base > p.cursor && p.cursor < kDirectMapLowEnd) {
      p.piece(p.cursor, region.base < kDirectMapLowEnd ? region.base : kDirectMapLowEnd, true);
    }
    p.piece(region.base, region.base + region.length, uncached_type(region.type));
  }
  p.piece(p.cursor, kDirectMapLowEnd, true);
  if (fb_size != 0) {
    // A framebuffer above everything in the map (the loader lists it, but be safe); a
    // framebuffer inside what is already planned is covered by then.
    const uint64_t base = fb_base & ~(kPage - 1);
    const uint64_t end = (fb_base + fb_size + kPage - 1) & ~(kPage - 1);
    if (base >= p.cursor) p.piece(base, end, false);
  }
}

}  // namespace kernel::mm
