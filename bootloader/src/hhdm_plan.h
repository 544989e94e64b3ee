// Portable plan of the physical ranges muboot maps at the HHDM (host-tested).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mu/bootinfo.h"

namespace muboot {

// The first 4 GiB are always mapped (legacy areas, MMIO holes, the framebuffer in most machines).
inline constexpr uint64_t kHhdmLowLimit = 4ULL << 30;
// The HHDM window ends where the kernel's -2 GiB area starts; stay well below (64 TiB).
inline constexpr uint64_t kHhdmPhysLimit = 64ULL << 40;
inline constexpr uint64_t kHhdmGranule = 2ULL << 20;

struct PhysRange {
  uint64_t base;
  uint64_t size;
};

// From `regions` (sorted by base, non-overlapping, as build_memory_map makes them) computes the
// ranges to map: [0, 4 GiB) first, then every region above 4 GiB widened to 2 MiB boundaries,
// merged where they touch or overlap and cut at kHhdmPhysLimit. Returns how many ranges were
// written to `out`, or 0 when `capacity` is too small.
[[nodiscard]] size_t plan_hhdm(const mu::MemoryRegion* regions, size_t count, PhysRange* out,
                               size_t capacity);

}  // namespace muboot
