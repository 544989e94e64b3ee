// Tests for memory map construction: EFI type mapping, overlap resolution, rounding, limits.
#include "mu/memmap.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <random>
#include <vector>

namespace {

using mu::MemoryMapError;
using mu::MemoryRegion;
using mu::MemoryType;

constexpr uint64_t kPage = 4096;

struct Built {
  MemoryMapError error;
  std::vector<MemoryRegion> regions;
};

Built build(const std::vector<MemoryRegion>& in, size_t capacity = 64) {
  std::vector<uint64_t> scratch(2 * in.size() + 1);
  std::vector<MemoryRegion> out(capacity);
  size_t count = 12345;
  const MemoryMapError error = mu::build_memory_map(in.data(), in.size(), scratch.data(),
                                                    scratch.size(), out.data(), capacity, &count);
  out.resize(count);
  return {error, out};
}

MemoryRegion region(uint64_t base, uint64_t length, MemoryType type) {
  return MemoryRegion{base, length, type, 0};
}

// Compares base, length and type (the reserved field is not part of the result).
void expect_regions(const std::vector<MemoryRegion>& got, const std::vector<MemoryRegion>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].base, want[i].base) << "region " << i;
    EXPECT_EQ(got[i].length, want[i].length) << "region " << i;
    EXPECT_EQ(got[i].type, want[i].type) << "region " << i;
  }
}

TEST(MemoryMap, TranslatesEfiTypes) {
  using E = mu::EfiMemoryType;
  const struct {
    E efi;
    MemoryType want;
  } cases[] = {
      {E::Conventional, MemoryType::Usable},
      {E::LoaderCode, MemoryType::BootReclaimable},
      {E::LoaderData, MemoryType::BootReclaimable},
      {E::BootServicesCode, MemoryType::BootReclaimable},
      {E::BootServicesData, MemoryType::BootReclaimable},
      {E::AcpiReclaim, MemoryType::AcpiReclaimable},
      {E::AcpiNvs, MemoryType::AcpiNvs},
      {E::MemoryMappedIo, MemoryType::Mmio},
      {E::MemoryMappedIoPortSpace, MemoryType::Mmio},
      {E::Reserved, MemoryType::Reserved},
      {E::RuntimeServicesCode, MemoryType::Reserved},
      {E::RuntimeServicesData, MemoryType::Reserved},
      {E::Unusable, MemoryType::Reserved},
      {E::PalCode, MemoryType::Reserved},
      {E::Persistent, MemoryType::Reserved},
      {E::Unaccepted, MemoryType::Reserved},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(mu::memory_type_from_efi(static_cast<uint32_t>(c.efi)), c.want)
        << static_cast<uint32_t>(c.efi);
  }
  EXPECT_EQ(mu::memory_type_from_efi(16), MemoryType::Reserved);
  EXPECT_EQ(mu::memory_type_from_efi(0x80000000), MemoryType::Reserved);  // OEM range
}

TEST(MemoryMap, RanksLoaderTypesAboveFirmwareAndUsableLowest) {
  const MemoryType firmware[] = {MemoryType::Usable,
                                 MemoryType::BootReclaimable,
                                 MemoryType::AcpiReclaimable,
                                 MemoryType::AcpiNvs,
                                 MemoryType::Mmio,
                                 MemoryType::Reserved};
  for (size_t i = 1; i < std::size(firmware); ++i) {
    EXPECT_LT(mu::memory_type_rank(firmware[i - 1]), mu::memory_type_rank(firmware[i]));
  }
  for (MemoryType loader : {MemoryType::KernelImage, MemoryType::Initrd, MemoryType::Framebuffer,
                            MemoryType::BootPageTables, MemoryType::BootInfo}) {
    EXPECT_GT(mu::memory_type_rank(loader), mu::memory_type_rank(MemoryType::Reserved));
  }
}

TEST(MemoryMap, SortsUnsortedInput) {
  const auto r = build({region(0x300000, 0x1000, MemoryType::Usable),
                        region(0x100000, 0x1000, MemoryType::AcpiNvs),
                        region(0x200000, 0x1000, MemoryType::Reserved)});
  ASSERT_EQ(r.error, MemoryMapError::None);
  expect_regions(r.regions, {region(0x100000, 0x1000, MemoryType::AcpiNvs),
                             region(0x200000, 0x1000, MemoryType::Reserved),
                             region(0x300000, 0x1000, MemoryType::Usable)});
}

TEST(MemoryMap, ReservedCutsHoleInUsable) {
  const auto r =
      build({region(0, 0x10000, MemoryType::Usable), region(0x4000, 0x2000, MemoryType::Reserved)});
  ASSERT_EQ(r.error, MemoryMapError::None);
  expect_regions(r.regions, {region(0, 0x4000, MemoryType::Usable),
                             region(0x4000, 0x2000, MemoryType::Reserved),
                             region(0x6000, 0xA000, MemoryType::Usable)});
}

TEST(MemoryMap, UsableNeverOverridesReserved) {
  const auto r =
      build({region(0x4000, 0x2000, MemoryType::Reserved), region(0, 0x10000, MemoryType::Usable)});
  ASSERT_EQ(r.error, MemoryMapError::None);
  ASSERT_EQ(r.regions.size(), 3u);
  EXPECT_EQ(r.regions[1].type, MemoryType::Reserved);
}

TEST(MemoryMap, KernelImageInsideUsableSplitsItInThree) {
  const auto r = build({region(0x100000, 0x7F00000, MemoryType::Usable),
                        region(0x1000000, 0x200000, MemoryType::KernelImage)});
  ASSERT_EQ(r.error, MemoryMapError::None);
  expect_regions(r.regions, {region(0x100000, 0xF00000, MemoryType::Usable),
                             region(0x1000000, 0x200000, MemoryType::KernelImage),
                             region(0x1200000, 0x6E00000, MemoryType::Usable)});
}

TEST(MemoryMap, LoaderTypeWinsOverReservedAndMmio) {
  const auto r = build({region(0x80000000, 0x1000000, MemoryType::Mmio),
                        region(0x80000000, 0x800000, MemoryType::Framebuffer)});
  ASSERT_EQ(r.error, MemoryMapError::None);
  expect_regions(r.regions, {region(0x80000000, 0x800000, MemoryType::Framebuffer),
                             region(0x80800000, 0x800000, MemoryType::Mmio)});
}

TEST(MemoryMap, MergesAdjacentAndOverlappingSameType) {
  const auto r =
      build({region(0x1000, 0x1000, MemoryType::Usable), region(0x2000, 0x3000, MemoryType::Usable),
             region(0x4000, 0x2000, MemoryType::Usable)});
  ASSERT_EQ(r.error, MemoryMapError::None);
  expect_regions(r.regions, {region(0x1000, 0x5000, MemoryType::Usable)});
}

TEST(MemoryMap, KeepsAdjacentDifferentTypesAndHolesApart) {
  const auto r = build({region(0x1000, 0x1000, MemoryType::Usable),
                        region(0x2000, 0x1000, MemoryType::BootReclaimable),
                        region(0x5000, 0x1000, MemoryType::BootReclaimable)});
  ASSERT_EQ(r.error, MemoryMapError::None);
  expect_regions(r.regions, {region(0x1000, 0x1000, MemoryType::Usable),
                             region(0x2000, 0x1000, MemoryType::BootReclaimable),
                             region(0x5000, 0x1000, MemoryType::BootReclaimable)});
}

TEST(MemoryMap, RoundsReservedOutwardAndUsableInward) {
  const auto r = build(
      {region(0x1800, 0x1000, MemoryType::Reserved), region(0x10800, 0x2000, MemoryType::Usable)});
  ASSERT_EQ(r.error, MemoryMapError::None);
  expect_regions(r.regions, {region(0x1000, 0x2000, MemoryType::Reserved),
                             region(0x11000, 0x1000, MemoryType::Usable)});
}

TEST(MemoryMap, PartialPageBetweenUsableAndInitrdGoesToInitrd) {
  // The initrd ends mid-page; that page is initrd, and the usable memory starts after it.
  const auto r = build({region(0x100000, 0x100000, MemoryType::Usable),
                        region(0x100000, 0x1234, MemoryType::Initrd)});
  ASSERT_EQ(r.error, MemoryMapError::None);
  expect_regions(r.regions, {region(0x100000, 0x2000, MemoryType::Initrd),
                             region(0x102000, 0xFE000, MemoryType::Usable)});
}

TEST(MemoryMap, DropsEmptyRegions) {
  const auto r = build({region(0x5000, 0, MemoryType::Reserved),
                        region(0x8100, 0x800, MemoryType::Usable),  // no whole page
                        region(0x9000, 0x1000, MemoryType::AcpiNvs)});
  ASSERT_EQ(r.error, MemoryMapError::None);
  expect_regions(r.regions, {region(0x9000, 0x1000, MemoryType::AcpiNvs)});
}

TEST(MemoryMap, TreatsUnknownTypeAsReserved) {
  const auto r = build(
      {region(0, 0x4000, MemoryType::Usable), region(0x1000, 0x1000, static_cast<MemoryType>(99))});
  ASSERT_EQ(r.error, MemoryMapError::None);
  ASSERT_EQ(r.regions.size(), 3u);
  EXPECT_EQ(r.regions[1].type, MemoryType::Reserved);
}

TEST(MemoryMap, ClampsRegionThatWrapsAddressSpace) {
  const auto r = build({region(0xFFFFFFFFFFFF0000ULL, 0x20000, MemoryType::Reserved)});
  ASSERT_EQ(r.error, MemoryMapError::None);
  expect_regions(r.regions, {region(0xFFFFFFFFFFFF0000ULL, 0xF000, MemoryType::Reserved)});
}

TEST(MemoryMap, EmptyInputGivesEmptyMap) {
  const auto r = build({});
  EXPECT_EQ(r.error, MemoryMapError::None);
  EXPECT_TRUE(r.regions.empty());
}

TEST(MemoryMap, ExactCapacitySucceedsOneMoreFails) {
  std::vector<MemoryRegion> in;
  for (uint64_t i = 0; i < 8; ++i) in.push_back(region(i * 0x2000, 0x1000, MemoryType::Usable));
  EXPECT_EQ(build(in, 8).error, MemoryMapError::None);
  const auto r = build(in, 7);
  EXPECT_EQ(r.error, MemoryMapError::TooManyRegions);
  EXPECT_TRUE(r.regions.empty());  // out_count is 0 on error
}

TEST(MemoryMap, RejectsScratchTooSmall) {
  const MemoryRegion in[2] = {region(0, 0x1000, MemoryType::Usable),
                              region(0x2000, 0x1000, MemoryType::Usable)};
  uint64_t scratch[3];
  MemoryRegion out[4];
  size_t count = 99;
  EXPECT_EQ(mu::build_memory_map(in, 2, scratch, 3, out, 4, &count),
            MemoryMapError::ScratchTooSmall);
  EXPECT_EQ(count, 0u);
}

// Reference model: one type slot per page over a small range, regions painted by rank.
TEST(MemoryMap, MatchesPageByPageReferenceOnRandomInputs) {
  constexpr uint64_t kPages = 64;
  std::mt19937_64 rng(0x6d754f53);  // fixed seed: failures reproduce
  for (int iteration = 0; iteration < 2000; ++iteration) {
    const size_t n = rng() % 12;
    std::vector<MemoryRegion> in;
    for (size_t i = 0; i < n; ++i) {
      const uint64_t base = rng() % (kPages * kPage);
      const uint64_t room = kPages * kPage - base;  // keep every region inside the model
      const uint64_t length =
          rng() % 4 == 0 ? std::min<uint64_t>(rng() % 3000, room) : rng() % room;
      in.push_back(region(base, length, static_cast<MemoryType>(1 + rng() % 11)));
    }

    std::vector<int> page_type(kPages, 0);  // 0 = hole, else MemoryType value
    for (const auto& r : in) {
      const bool allocatable =
          r.type == MemoryType::Usable || r.type == MemoryType::BootReclaimable;
      const uint64_t first = allocatable ? (r.base + kPage - 1) / kPage : r.base / kPage;
      const uint64_t end =
          allocatable ? (r.base + r.length) / kPage : (r.base + r.length + kPage - 1) / kPage;
      for (uint64_t p = first; p < end; ++p) {
        const int old = page_type[p];
        if (old == 0 ||
            mu::memory_type_rank(r.type) > mu::memory_type_rank(static_cast<MemoryType>(old))) {
          page_type[p] = static_cast<int>(r.type);
        }
      }
    }

    const auto got = build(in, 128);
    ASSERT_EQ(got.error, MemoryMapError::None);
    std::vector<int> got_type(kPages, 0);
    for (size_t i = 0; i < got.regions.size(); ++i) {
      const auto& r = got.regions[i];
      ASSERT_EQ(r.base % kPage, 0u);
      ASSERT_GT(r.length, 0u);
      ASSERT_EQ(r.length % kPage, 0u);
      if (i > 0) {
        const auto& prev = got.regions[i - 1];
        ASSERT_LE(prev.base + prev.length, r.base) << "sorted and disjoint";
        ASSERT_FALSE(prev.base + prev.length == r.base && prev.type == r.type) << "not merged";
      }
      for (uint64_t p = r.base / kPage; p < (r.base + r.length) / kPage; ++p) {
        ASSERT_LT(p, kPages);
        got_type[p] = static_cast<int>(r.type);
      }
    }
    ASSERT_EQ(got_type, page_type) << "iteration " << iteration;
  }
}

}  // namespace
