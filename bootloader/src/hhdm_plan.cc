// Portable plan of the physical ranges muboot maps at the HHDM.
#include "hhdm_plan.h"

namespace muboot {

size_t plan_hhdm(const mu::MemoryRegion* regions, size_t count, PhysRange* out, size_t capacity) {
  if (capacity == 0) return 0;
  out[0] = PhysRange{0, kHhdmLowLimit};
  size_t used = 1;
  for (size_t i = 0; i < count; ++i) {
    const uint64_t region_end = regions[i].base + regions[i].length;
    if (region_end <= kHhdmLowLimit || regions[i].base >= kHhdmPhysLimit) continue;
    uint64_t base = regions[i].base & ~(kHhdmGranule - 1);
    uint64_t end = (region_end + kHhdmGranule - 1) & ~(kHhdmGranule - 1);
    if (base < kHhdmLowLimit) base = kHhdmLowLimit;
    if (end > kHhdmPhysLimit) end = kHhdmPhysLimit;
    PhysRange& last = out[used - 1];
    // Sorted input means a new range can only touch or overlap the last one written.
    if (base <= last.base + last.size) {
      if (end > last.base + last.size) last.size = end - last.base;
      continue;
    }
    if (used == capacity) return 0;
    out[used++] = PhysRange{base, end - base};
  }
  return used;
}

}  // namespace muboot
