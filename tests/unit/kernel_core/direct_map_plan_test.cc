// Tests for the direct-map plan: coverage, ordering, caching and limits.
#include "mm/direct_map_plan.h"

#include <gtest/gtest.h>

#include <vector>

namespace {

using kernel::mm::DirectMapPiece;
using mu::MemoryRegion;
using mu::MemoryType;

constexpr uint64_t kGiB = 1ULL << 30, kMiB = 1ULL << 20;

std::vector<DirectMapPiece> plan(const std::vector<MemoryRegion>& regions, uint64_t fb_base = 0,
                                 uint64_t fb_size = 0, uint64_t limit = 64ULL << 40) {
  std::vector<DirectMapPiece> out;
  kernel::mm::plan_direct_map(
      regions.data(), regions.size(), fb_base, fb_size, limit,
      [](void* ctx, const DirectMapPiece& p) {
        static_cast<std::vector<DirectMapPiece>*>(ctx)->push_back(p);
      },
      &out);
  return out;
}

// Pieces ascend, never overlap, are non-empty and page-aligned.
void expect_well_formed(const std::vector<DirectMapPiece>& pieces) {
  uint64_t last_end = 0;
  for (const auto& p : pieces) {
    EXPECT_LT(p.base, p.end);
    EXPECT_GE(p.base, last_end);
    EXPECT_EQ(p.base % 4096, 0u);
    EXPECT_EQ(p.end % 4096, 0u);
    last_end = p.end;
  }
}

// The caching of the piece containing `phys`, or -1 if none does.
int cached_at(const std::vector<DirectMapPiece>& pieces, uint64_t phys) {
  for (const auto& p : pieces) {
    if (phys >= p.base && phys < p.end) return p.uncached ? 0 : 1;
  }
  return -1;
}

TEST(DirectMapPlan, CoversLowFourGiBAndEveryRegion) {
  const std::vector<MemoryRegion> regions = {
      {0x1000, 0x9F000, MemoryType::Usable, 0},
      {0x100000, 0x7FF00000, MemoryType::Usable, 0},
      {0xB0000000, 0x10000000, MemoryType::Reserved, 0},
      {0xC0000000, 0x400000, MemoryType::Framebuffer, 0},
      {0xFEC00000, 0x1000, MemoryType::Mmio, 0},
      {0x100000000, 2 * kGiB, MemoryType::Usable, 0},
      {0x300000000, 2 * kMiB, MemoryType::AcpiNvs, 0},
  };
  const auto pieces = plan(regions);
  expect_well_formed(pieces);
  EXPECT_EQ(cached_at(pieces, 0), 0);        // hole at page 0
  EXPECT_EQ(cached_at(pieces, 0x1000), 1);   // RAM
  EXPECT_EQ(cached_at(pieces, 0xA0000), 0);  // legacy VGA hole
  EXPECT_EQ(cached_at(pieces, 0x7FFFF000), 1);
  EXPECT_EQ(cached_at(pieces, 0x80000000), 0);  // hole below 4 GiB
  EXPECT_EQ(cached_at(pieces, 0xB0000000), 0);  // reserved (PCIe ECAM)
  EXPECT_EQ(cached_at(pieces, 0xC0000000), 1);  // framebuffer: write-back
  EXPECT_EQ(cached_at(pieces, 0xFEE00000), 0);  // LAPIC, not in the map
  EXPECT_EQ(cached_at(pieces, 0xFFFFF000), 0);
  EXPECT_EQ(cached_at(pieces, 0x100000000), 1);
  EXPECT_EQ(cached_at(pieces, 0x17FFFF000), 1);
  EXPECT_EQ(cached_at(pieces, 0x180000000), -1);  // holes above 4 GiB stay unmapped
  EXPECT_EQ(cached_at(pieces, 0x300000000), 1);
  EXPECT_EQ(pieces.back().end, 0x300200000u);
}

TEST(DirectMapPlan, EmptyMapStillCoversLowFourGiB) {
  const auto pieces = plan({});
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].base, 0u);
  EXPECT_EQ(pieces[0].end, 4 * kGiB);
  EXPECT_TRUE(pieces[0].uncached);
}

TEST(DirectMapPlan, CutsAtTheLimit) {
  const std::vector<MemoryRegion> regions = {
      {0x100000000, 8 * kGiB, MemoryType::Usable, 0},
  };
  const auto pieces = plan(regions, 0, 0, 6 * kGiB);
  expect_well_formed(pieces);
  EXPECT_EQ(pieces.back().end, 6 * kGiB);
}

TEST(DirectMapPlan, AddsFramebufferOutsideTheMap) {
  const std::vector<MemoryRegion> regions = {{0x100000, kMiB, MemoryType::Usable, 0}};
  const auto pieces = plan(regions, 0x800000000 + 0x10, 0x300000);
  expect_well_formed(pieces);
  ASSERT_FALSE(pieces.empty());
  EXPECT_EQ(pieces.back().base, 0x800000000u);
  EXPECT_EQ(pieces.back().end, 0x800301000u);
  EXPECT_FALSE(pieces.back().uncached);
  // Inside the low 4 GiB it is covered already and not emitted twice.
  const auto low = plan(regions, 0xC0000000, 0x300000);
  expect_well_formed(low);
  EXPECT_EQ(low.back().end, 4 * kGiB);
}

}  // namespace
