// Which physical ranges the kernel's direct map (HHDM) covers, and with which caching.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mu/bootinfo.h"

namespace kernel::mm {

struct DirectMapPiece {
  uint64_t base;  // physical, page-aligned
  uint64_t end;   // exclusive, page-aligned
  bool uncached;  // MMIO, reserved ranges and holes below 4 GiB
};

// Everything below this is mapped even where the memory map says nothing (the LAPIC, IOAPIC,
// HPET and PCI windows usually are not in it).
inline constexpr uint64_t kDirectMapLowEnd = 4ULL << 30;

// Splits the direct map into adjacent-or-disjoint, non-overlapping, ascending pieces: every
// region of `regions` (sorted, non-overlapping, as in the BootInfo) plus the holes below
// kDirectMapLowEnd, plus the framebuffer [fb_base, fb_base + fb_size) if the map lacks it,
// all cut at `limit`. RAM-like types are cached, Mmio and Reserved and holes uncached.
// Calls `emit(context, piece)` for each piece in ascending order.
using DirectMapEmit = void (*)(void* context, const DirectMapPiece& piece);
void plan_direct_map(const mu::MemoryRegion* regions, size_t count, uint64_t fb_base,
                     uint64_t fb_size, uint64_t limit, DirectMapEmit emit, void* context);

}  // namespace kernel::mm
