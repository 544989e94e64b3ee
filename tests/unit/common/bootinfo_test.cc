// Tests for check_bootinfo, bootinfo_bytes_of and the BootInfo name/error strings.
#include "mu/bootinfo.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <set>
#include <string>

namespace mu {
// Readable gtest failure messages.
void PrintTo(BootInfoError error, std::ostream* os) { *os << bootinfo_error_string(error); }
}  // namespace mu

namespace {

using mu::BootInfo;
using mu::BootInfoError;
using mu::MemoryType;

std::unique_ptr<BootInfo> good_bootinfo() {
  auto info = std::make_unique<BootInfo>();
  std::memset(info.get(), 0, sizeof(BootInfo));
  info->magic = mu::kBootInfoMagic;
  info->version = mu::kBootInfoVersion;
  info->size = sizeof(BootInfo);
  info->hhdm_base = mu::kHhdmBase;
  std::strcpy(info->cmdline, "test=paging");
  info->region_count = 4;
  info->regions[0] = {0x0, 0x9F000, MemoryType::Usable, 0};
  info->regions[1] = {0x100000, 0x200000, MemoryType::KernelImage, 0};
  info->regions[2] = {0x300000, 0x7D00000, MemoryType::Usable, 0};
  info->regions[3] = {0x8000000, 0x1000, MemoryType::BootInfo, 0};
  return info;
}

BootInfoError check(const BootInfo& info) { return mu::check_bootinfo(&info, sizeof(BootInfo)); }

TEST(BootInfo, AcceptsWellFormedBootInfo) {
  auto info = good_bootinfo();
  EXPECT_EQ(check(*info), BootInfoError::None);
  info->region_count = 0;
  EXPECT_EQ(check(*info), BootInfoError::None);
}

TEST(BootInfo, AcceptsLargerSizeFromNewerLoaderWhenAvailable) {
  auto storage = std::make_unique<uint8_t[]>(sizeof(BootInfo) + 64);
  auto info = good_bootinfo();
  info->size = sizeof(BootInfo) + 64;
  std::memcpy(storage.get(), info.get(), sizeof(BootInfo));
  const auto* p = reinterpret_cast<const BootInfo*>(storage.get());
  EXPECT_EQ(mu::check_bootinfo(p, sizeof(BootInfo) + 64), BootInfoError::None);
  EXPECT_EQ(mu::check_bootinfo(p, sizeof(BootInfo) + 63), BootInfoError::BadSize);
}

TEST(BootInfo, RejectsNull) { EXPECT_EQ(mu::check_bootinfo(nullptr, 4096), BootInfoError::Null); }

TEST(BootInfo, RejectsTooLittleAvailableMemory) {
  auto info = good_bootinfo();
  EXPECT_EQ(mu::check_bootinfo(info.get(), 8), BootInfoError::BadSize);
  EXPECT_EQ(mu::check_bootinfo(info.get(), sizeof(BootInfo) - 1), BootInfoError::BadSize);
}

TEST(BootInfo, RejectsBadMagicAndVersion) {
  auto info = good_bootinfo();
  info->magic ^= 1;
  EXPECT_EQ(check(*info), BootInfoError::BadMagic);
  info = good_bootinfo();
  info->version = 2;
  EXPECT_EQ(check(*info), BootInfoError::BadVersion);
}

TEST(BootInfo, RejectsSizeSmallerThanStruct) {
  auto info = good_bootinfo();
  info->size = sizeof(BootInfo) - 8;
  EXPECT_EQ(check(*info), BootInfoError::BadSize);
}

TEST(BootInfo, RejectsTooManyRegions) {
  auto info = good_bootinfo();
  info->region_count = mu::kMaxMemoryRegions + 1;
  EXPECT_EQ(check(*info), BootInfoError::TooManyRegions);
}

TEST(BootInfo, RejectsMisalignedRegion) {
  auto info = good_bootinfo();
  info->regions[1].base += 0x10;
  EXPECT_EQ(check(*info), BootInfoError::RegionMisaligned);
  info = good_bootinfo();
  info->regions[1].length += 0x10;
  EXPECT_EQ(check(*info), BootInfoError::RegionMisaligned);
}

TEST(BootInfo, RejectsEmptyRegion) {
  auto info = good_bootinfo();
  info->regions[2].length = 0;
  EXPECT_EQ(check(*info), BootInfoError::RegionEmpty);
}

TEST(BootInfo, RejectsRegionWrappingAddressSpace) {
  auto info = good_bootinfo();
  info->regions[3] = {0xFFFFFFFFFFFFF000ULL, 0x2000, MemoryType::Reserved, 0};
  EXPECT_EQ(check(*info), BootInfoError::RegionOverflow);
}

TEST(BootInfo, RejectsUnknownRegionType) {
  for (uint32_t type : {0u, 12u, 0xFFFFFFFFu}) {
    auto info = good_bootinfo();
    info->regions[0].type = static_cast<MemoryType>(type);
    EXPECT_EQ(check(*info), BootInfoError::RegionBadType) << type;
  }
}

TEST(BootInfo, RejectsUnsortedRegions) {
  auto info = good_bootinfo();
  std::swap(info->regions[1], info->regions[2]);
  EXPECT_EQ(check(*info), BootInfoError::RegionsUnsorted);
}

TEST(BootInfo, RejectsOverlappingRegions) {
  auto info = good_bootinfo();
  info->regions[1].length = 0x201000;  // runs one page into regions[2]
  EXPECT_EQ(check(*info), BootInfoError::RegionsOverlap);
  info = good_bootinfo();
  info->regions[2].base = info->regions[1].base;  // same base
  EXPECT_EQ(check(*info), BootInfoError::RegionsOverlap);
}

TEST(BootInfo, RejectsUnterminatedCmdline) {
  auto info = good_bootinfo();
  std::memset(info->cmdline, 'a', mu::kCmdlineMax);
  EXPECT_EQ(check(*info), BootInfoError::CmdlineUnterminated);
  info->cmdline[mu::kCmdlineMax - 1] = '\0';
  EXPECT_EQ(check(*info), BootInfoError::None);
}

TEST(BootInfo, SumsBytesPerType) {
  const auto info = good_bootinfo();
  EXPECT_EQ(mu::bootinfo_bytes_of(*info, MemoryType::Usable), 0x9F000u + 0x7D00000u);
  EXPECT_EQ(mu::bootinfo_bytes_of(*info, MemoryType::KernelImage), 0x200000u);
  EXPECT_EQ(mu::bootinfo_bytes_of(*info, MemoryType::Mmio), 0u);
}

TEST(BootInfo, SumIgnoresRegionsPastCount) {
  auto info = good_bootinfo();
  info->region_count = 1;
  EXPECT_EQ(mu::bootinfo_bytes_of(*info, MemoryType::Usable), 0x9F000u);
}

TEST(BootInfo, MemoryTypeNamesAreShortLowercaseAndDistinct) {
  std::set<std::string> names;
  for (uint32_t t = 1; t <= 11; ++t) {
    const std::string name = mu::memory_type_name(static_cast<MemoryType>(t));
    EXPECT_NE(name, "unknown") << t;
    for (char c : name) EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '-') << name;
    names.insert(name);
  }
  EXPECT_EQ(names.size(), 11u);
  EXPECT_STREQ(mu::memory_type_name(MemoryType::Usable), "usable");
  EXPECT_STREQ(mu::memory_type_name(MemoryType::AcpiReclaimable), "acpi-reclaimable");
  EXPECT_STREQ(mu::memory_type_name(static_cast<MemoryType>(0)), "unknown");
}

TEST(BootInfo, ErrorStringsAreDistinct) {
  std::set<std::string> seen;
  const auto last = static_cast<uint32_t>(BootInfoError::CmdlineUnterminated);
  for (uint32_t e = 0; e <= last; ++e) {
    seen.insert(mu::bootinfo_error_string(static_cast<BootInfoError>(e)));
  }
  EXPECT_EQ(seen.size(), last + 1);
}

}  // namespace
