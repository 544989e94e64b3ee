// Host tests for muboot's HHDM range plan (bootloader/src/hhdm_plan.cc).
#include "hhdm_plan.h"

#include <gtest/gtest.h>

#include <vector>

namespace muboot {
namespace {

constexpr uint64_t kMiB = 1ULL << 20;
constexpr uint64_t kGiB = 1ULL << 30;

std::vector<PhysRange> plan(const std::vector<mu::MemoryRegion>& regions, size_t capacity = 16) {
  std::vector<PhysRange> out(capacity);
  const size_t n = plan_hhdm(regions.data(), regions.size(), out.data(), capacity);
  out.resize(n);
  return out;
}

mu::MemoryRegion region(uint64_t base, uint64_t length) {
  return mu::MemoryRegion{base, length, mu::MemoryType::Usable, 0};
}

TEST(HhdmPlanTest, AlwaysMapsTheLowFourGiB) {
  const auto r = plan({region(0x1000, 255 * kMiB)});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].base, 0u);
  EXPECT_EQ(r[0].size, 4 * kGiB);
}

TEST(HhdmPlanTest, HighRegionsRoundToTwoMiBAndMerge) {
  const auto r = plan({region(0x1000, kMiB), region(4 * kGiB + 0x3000, kMiB),
                       region(4 * kGiB + 3 * kMiB, kMiB), region(8 * kGiB + kMiB, 0x1000)});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].size, 4 * kGiB + 4 * kMiB);  // merged into the low range (touching)
  EXPECT_EQ(r[1].base, 8 * kGiB);
  EXPECT_EQ(r[1].size, 2 * kMiB);
}

TEST(HhdmPlanTest, RegionStraddlingFourGiB) {
  const auto r = plan({region(3 * kGiB, 2 * kGiB + kMiB)});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].size, 5 * kGiB + 2 * kMiB);
}

TEST(HhdmPlanTest, SeparateRangesAndCapacity) {
  const std::vector<mu::MemoryRegion> regions = {region(6 * kGiB, kMiB), region(10 * kGiB, kMiB)};
  EXPECT_EQ(plan(regions).size(), 3u);
  EXPECT_EQ(plan(regions, 2).size(), 0u);  // does not fit: reported as 0
}

TEST(HhdmPlanTest, CutAtThePhysicalLimit) {
  const auto r = plan({region(kHhdmPhysLimit - 2 * kMiB, 8 * kMiB), region(kHhdmPhysLimit, kGiB)});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].base + r[1].size, kHhdmPhysLimit);
}

}  // namespace
}  // namespace muboot
