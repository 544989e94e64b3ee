// Tests for PageTableBuilder over a simulated physical memory, checked by an independent walker.
#include "mu/paging.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <random>

namespace mu {
// Readable gtest failure messages.
void PrintTo(PagingError error, std::ostream* os) { *os << paging_error_string(error); }
}  // namespace mu

namespace {

using mu::PagePerms;
using mu::PageTableBuilder;
using mu::PagingError;

constexpr uint64_t k4K = mu::kPageSize, k2M = mu::kLargePageSize, k1G = mu::kHugePageSize;
constexpr uint64_t kAddr = mu::kPteAddressMask;

using Table = std::array<uint64_t, 512>;

// Physical memory holding only page tables, handed out by a bump pointer, with an optional
// limit on how many tables may exist.
class SimMemory final : public mu::PageTableMemory {
 public:
  explicit SimMemory(size_t limit = std::numeric_limits<size_t>::max()) : limit_(limit) {}

  uint64_t alloc_table() override {
    if (tables_.size() >= limit_) return 0;
    const uint64_t phys = next_;
    next_ += k4K;
    tables_[phys].fill(0);
    return phys;
  }

  uint64_t* table_at(uint64_t phys) override {
    auto it = tables_.find(phys);
    if (it == tables_.end()) {
      ADD_FAILURE() << "table_at(" << std::hex << phys << ") is not a table";
      std::abort();
    }
    return it->second.data();
  }

  void free_table(uint64_t phys) override {
    if (tables_.erase(phys) != 1) ADD_FAILURE() << "free_table(" << std::hex << phys << ") twice";
    ++freed_;
  }

  void set_limit(size_t limit) { limit_ = limit; }
  size_t freed() const { return freed_; }
  const std::map<uint64_t, Table>& tables() const { return tables_; }

 private:
  std::map<uint64_t, Table> tables_;
  uint64_t next_ = 0x7000000;  // arbitrary, away from the frames the tests map
  size_t limit_;
  size_t freed_ = 0;
};

struct Fixture {
  explicit Fixture(size_t limit = std::numeric_limits<size_t>::max())
      : memory(limit), builder(memory, memory.alloc_table()) {}
  SimMemory memory;
  PageTableBuilder builder;
};

// The test's own walker, written from the SDM's description rather than from paging.cc.
struct RawLeaf {
  uint64_t entry;                   // the leaf entry
  uint64_t page_size;               // 4K, 2M or 1G
  std::array<uint64_t, 3> upper{};  // PML4E, PDPTE, PDE as far as the walk went (0 if unused)
};

std::optional<RawLeaf> raw_walk(const SimMemory& memory, uint64_t root, uint64_t virt) {
  const Table& pml4 = memory.tables().at(root);
  const uint64_t e4 = pml4[(virt >> 39) & 511];
  if (!(e4 & mu::kPtePresent)) return std::nullopt;
  const uint64_t e3 = memory.tables().at(e4 & kAddr)[(virt >> 30) & 511];
  if (!(e3 & mu::kPtePresent)) return std::nullopt;
  if (e3 & mu::kPteLarge) return RawLeaf{e3, k1G, {e4, 0, 0}};
  const uint64_t e2 = memory.tables().at(e3 & kAddr)[(virt >> 21) & 511];
  if (!(e2 & mu::kPtePresent)) return std::nullopt;
  if (e2 & mu::kPteLarge) return RawLeaf{e2, k2M, {e4, e3, 0}};
  const uint64_t e1 = memory.tables().at(e2 & kAddr)[(virt >> 12) & 511];
  if (!(e1 & mu::kPtePresent)) return std::nullopt;
  return RawLeaf{e1, k4K, {e4, e3, e2}};
}

// Checks one 4 KiB page both through translate() and through the raw walker.
void expect_page(Fixture& f, uint64_t virt, uint64_t phys, uint64_t page_size, PagePerms perms) {
  SCOPED_TRACE(testing::Message() << "virt 0x" << std::hex << virt);
  const auto t = f.builder.translate(virt + 0x123);
  ASSERT_TRUE(t.present);
  EXPECT_EQ(t.phys, phys + 0x123);
  EXPECT_EQ(t.page_size, page_size);
  EXPECT_EQ(t.write, perms.write);
  EXPECT_EQ(t.execute, perms.execute);
  EXPECT_EQ(t.user, perms.user);

  const auto raw = raw_walk(f.memory, f.builder.root(), virt);
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(raw->page_size, page_size);
  EXPECT_EQ(raw->entry & kAddr & ~(page_size - 1), phys & ~(page_size - 1));
  EXPECT_EQ(bool(raw->entry & mu::kPteWritable), perms.write);
  EXPECT_EQ(bool(raw->entry & mu::kPteUser), perms.user);
  EXPECT_EQ(bool(raw->entry & mu::kPteNoExecute), !perms.execute);
  EXPECT_EQ(bool(raw->entry & mu::kPteGlobal), perms.global);
  EXPECT_EQ(bool(raw->entry & mu::kPteCacheDisable), perms.uncached);
  EXPECT_EQ(bool(raw->entry & mu::kPteWriteThrough), perms.uncached);
  for (uint64_t upper : raw->upper) {
    if (upper == 0) continue;
    // Intermediate entries never restrict: the leaf decides.
    EXPECT_TRUE(upper & mu::kPteWritable);
    EXPECT_FALSE(upper & mu::kPteNoExecute);
    EXPECT_FALSE(upper & mu::kPteLarge);
    EXPECT_EQ(bool(upper & mu::kPteUser), perms.user);
  }
}

void expect_unmapped(Fixture& f, uint64_t virt) {
  EXPECT_FALSE(f.builder.translate(virt).present) << std::hex << virt;
  EXPECT_FALSE(raw_walk(f.memory, f.builder.root(), virt).has_value()) << std::hex << virt;
}

constexpr PagePerms kKernelData{.write = true};
constexpr PagePerms kUserText{.execute = true, .user = true};

TEST(Paging, Maps4KPagesWithLeafPermissions) {
  Fixture f;
  const uint64_t virt = 0xFFFFFFFF80000000ULL;
  ASSERT_EQ(f.builder.map(virt, 0x200000, 5 * k4K, kKernelData, false), PagingError::None);
  for (uint64_t i = 0; i < 5; ++i) {
    expect_page(f, virt + i * k4K, 0x200000 + i * k4K, k4K, kKernelData);
  }
  expect_unmapped(f, virt + 5 * k4K);
  expect_unmapped(f, virt - k4K);
  EXPECT_EQ(f.memory.tables().size(), 4u);  // PML4, PDPT, PD, PT
}

TEST(Paging, MixedAlignmentUses2MPagesOnlyWhereAligned) {
  Fixture f;
  const uint64_t virt = 0x1FF000, phys = 0x401FF000, size = 0x603000 - virt;
  ASSERT_EQ(f.builder.map(virt, phys, size, kUserText), PagingError::None);
  for (uint64_t v = virt; v < virt + size; v += k4K) {
    const uint64_t want = (v >= 0x200000 && v < 0x600000) ? k2M : k4K;
    expect_page(f, v, phys + (v - virt), want, kUserText);
  }
  expect_unmapped(f, virt - k4K);
  expect_unmapped(f, virt + size);
}

TEST(Paging, Uses4KPagesWhenLargePagesDisallowed) {
  Fixture f;
  ASSERT_EQ(f.builder.map(0x200000, 0x400000, 2 * k2M, kKernelData, false), PagingError::None);
  for (uint64_t off = 0; off < 2 * k2M; off += k4K) {
    expect_page(f, 0x200000 + off, 0x400000 + off, k4K, kKernelData);
  }
}

TEST(Paging, Uses4KPagesWhenPhysNotAlignedLikeVirt) {
  Fixture f;
  ASSERT_EQ(f.builder.map(0x200000, 0x401000, k2M, kKernelData), PagingError::None);
  for (uint64_t off = 0; off < k2M; off += k4K) {
    expect_page(f, 0x200000 + off, 0x401000 + off, k4K, kKernelData);
  }
}

TEST(Paging, Uses1GPagesOnlyWhenAllowed) {
  const uint64_t virt = 0xFFFF800000000000ULL;  // the HHDM base
  const uint64_t size = 2 * k1G + k2M + k4K;
  for (bool huge : {false, true}) {
    SCOPED_TRACE(huge ? "huge" : "no huge");
    Fixture f;
    ASSERT_EQ(f.builder.map(virt, 0, size, kKernelData, true, huge), PagingError::None);
    for (uint64_t off = 0; off < 2 * k1G; off += k2M + 7 * k4K) {
      expect_page(f, virt + off, off, huge ? k1G : k2M, kKernelData);
    }
    expect_page(f, virt + 2 * k1G, 2 * k1G, k2M, kKernelData);
    expect_page(f, virt + 2 * k1G + k2M, 2 * k1G + k2M, k4K, kKernelData);
    expect_unmapped(f, virt + size);
    // huge: PML4, PDPT, PD, PT; otherwise two more PDs for the two 1 GiB ranges.
    EXPECT_EQ(f.memory.tables().size(), huge ? 4u : 6u);
  }
}

TEST(Paging, MapsRangeEndingAtTopOfAddressSpace) {
  Fixture f;
  ASSERT_EQ(f.builder.map(0xFFFFFFFFFFE00000ULL, 0x10000000, k2M, kKernelData), PagingError::None);
  expect_page(f, 0xFFFFFFFFFFFFF000ULL, 0x101FF000, k2M, kKernelData);
}

TEST(Paging, SetsGlobalAndUncachedBits) {
  Fixture f;
  const PagePerms mmio{.write = true, .global = true, .uncached = true};
  ASSERT_EQ(f.builder.map(0xFFFF8000FEE00000ULL, 0xFEE00000, k4K, mmio), PagingError::None);
  expect_page(f, 0xFFFF8000FEE00000ULL, 0xFEE00000, k4K, mmio);
}

TEST(Paging, SecondMappingSharesExistingTables) {
  Fixture f;
  ASSERT_EQ(f.builder.map(0x400000, 0x1000, 2 * k4K, kUserText), PagingError::None);
  const size_t tables = f.memory.tables().size();
  ASSERT_EQ(f.builder.map(0x402000, 0x9000, 2 * k4K, kKernelData), PagingError::None);
  EXPECT_EQ(f.memory.tables().size(), tables);
  expect_page(f, 0x400000, 0x1000, k4K, kUserText);
  // The shared intermediates now carry U for the user page; the kernel leaf still says no.
  const auto t = f.builder.translate(0x403000);
  ASSERT_TRUE(t.present);
  EXPECT_FALSE(t.user);
  EXPECT_TRUE(t.write);
}

TEST(Paging, AlreadyMappedChangesNothing) {
  Fixture f;
  ASSERT_EQ(f.builder.map(0x400000, 0x1000, 2 * k4K, kKernelData), PagingError::None);
  const auto before = f.memory.tables();
  // Starts in an unmapped page (and a fresh PT would be needed), ends in a mapped one.
  EXPECT_EQ(f.builder.map(0x3FF000, 0x8000, 2 * k4K, kKernelData), PagingError::AlreadyMapped);
  EXPECT_EQ(f.memory.tables(), before);
  expect_unmapped(f, 0x3FF000);
}

TEST(Paging, AlreadyMappedDetectsLargeAndHugeLeaves) {
  Fixture f;
  ASSERT_EQ(f.builder.map(0x40000000, 0, k1G, kKernelData, true, true), PagingError::None);
  ASSERT_EQ(f.builder.map(0x200000, 0, k2M, kKernelData), PagingError::None);
  const auto before = f.memory.tables();
  EXPECT_EQ(f.builder.map(0x7FFFF000, 0, k4K, kKernelData), PagingError::AlreadyMapped);
  EXPECT_EQ(f.builder.map(0x3FF000, 0, k4K, kKernelData), PagingError::AlreadyMapped);
  EXPECT_EQ(f.memory.tables(), before);
}

TEST(Paging, OutOfMemoryAtFirstTable) {
  Fixture f(1);  // only the PML4
  EXPECT_EQ(f.builder.map(0x400000, 0, k4K, kKernelData), PagingError::OutOfMemory);
  expect_unmapped(f, 0x400000);
}

TEST(Paging, OutOfMemoryMidwayUndoesPagesAlreadyMapped) {
  Fixture f(4);  // PML4, PDPT, PD and the first PT; the second PT cannot be had
  EXPECT_EQ(f.builder.map(0x1FE000, 0x5000, 4 * k4K, kKernelData, false), PagingError::OutOfMemory);
  for (uint64_t v = 0x1FE000; v < 0x202000; v += k4K) expect_unmapped(f, v);

  // Nothing left behind blocks a retry once memory is available.
  f.memory.set_limit(5);
  ASSERT_EQ(f.builder.map(0x1FE000, 0x5000, 4 * k4K, kKernelData, false), PagingError::None);
  for (uint64_t i = 0; i < 4; ++i) {
    expect_page(f, 0x1FE000 + i * k4K, 0x5000 + i * k4K, k4K, kKernelData);
  }
}

TEST(Paging, RejectsMisalignedArguments) {
  Fixture f;
  EXPECT_EQ(f.builder.map(0x400800, 0, k4K, kKernelData), PagingError::Misaligned);
  EXPECT_EQ(f.builder.map(0x400000, 0x10, k4K, kKernelData), PagingError::Misaligned);
  EXPECT_EQ(f.builder.map(0x400000, 0, 0x800, kKernelData), PagingError::Misaligned);
  EXPECT_EQ(f.memory.tables().size(), 1u);
}

TEST(Paging, RejectsNonCanonicalOrWrappingRanges) {
  Fixture f;
  EXPECT_EQ(f.builder.map(0x0000800000000000ULL, 0, k4K, kKernelData), PagingError::NonCanonical);
  EXPECT_EQ(f.builder.map(0xFFFF7FFFFFFFF000ULL, 0, k4K, kKernelData), PagingError::NonCanonical);
  EXPECT_EQ(f.builder.map(0x00007FFFFFFFF000ULL, 0, 2 * k4K, kKernelData),
            PagingError::NonCanonical);  // runs into the hole
  EXPECT_EQ(f.builder.map(0xFFFFFFFFFFFFF000ULL, 0, 2 * k4K, kKernelData),
            PagingError::NonCanonical);  // wraps past 2^64
  EXPECT_EQ(f.builder.map(0x400000, 1ULL << 52, k4K, kKernelData), PagingError::NonCanonical);
  EXPECT_EQ(f.builder.map(0x400000, ~0ULL << 12, 2 * k4K, kKernelData), PagingError::NonCanonical);
  EXPECT_EQ(f.memory.tables().size(), 1u);
}

TEST(Paging, ZeroSizeMapsNothing) {
  Fixture f;
  EXPECT_EQ(f.builder.map(0x400000, 0, 0, kKernelData), PagingError::None);
  EXPECT_EQ(f.memory.tables().size(), 1u);
}

TEST(Paging, TranslateCombinesPermissionsOfAllLevels) {
  Fixture f;
  const PagePerms all{.write = true, .execute = true, .user = true};
  ASSERT_EQ(f.builder.map(0x400000, 0x1000, k4K, all, false), PagingError::None);
  auto raw = raw_walk(f.memory, f.builder.root(), 0x400000);
  ASSERT_TRUE(raw.has_value());
  uint64_t* pml4 = f.memory.table_at(f.builder.root());
  uint64_t* pdpt = f.memory.table_at(raw->upper[0] & kAddr);
  uint64_t* pd = f.memory.table_at(raw->upper[1] & kAddr);

  pdpt[0] &= ~mu::kPteWritable;
  EXPECT_FALSE(f.builder.translate(0x400000).write);
  pml4[0] |= mu::kPteNoExecute;
  EXPECT_FALSE(f.builder.translate(0x400000).execute);
  pd[2] &= ~mu::kPteUser;
  EXPECT_FALSE(f.builder.translate(0x400000).user);
  EXPECT_TRUE(f.builder.translate(0x400000).present);
}

TEST(Paging, TranslateReportsNotPresentForHolesAndNonCanonical) {
  Fixture f;
  ASSERT_EQ(f.builder.map(0x400000, 0x1000, k4K, kKernelData), PagingError::None);
  EXPECT_FALSE(f.builder.translate(0x401000).present);
  EXPECT_FALSE(f.builder.translate(0x0000800000400000ULL).present);
  EXPECT_FALSE(f.builder.translate(0xFFFF800000400000ULL).present);
}

// Random non-overlapping mappings with random sizes, alignments and permissions, checked page
// by page with the raw walker.
TEST(Paging, RandomMappingsResolveToTheirFrames) {
  std::mt19937_64 rng(12345);
  Fixture f;
  struct Mapping {
    uint64_t virt, phys, size;
    PagePerms perms;
  };
  std::vector<Mapping> done;
  uint64_t cursor = 0x10000000;
  for (int i = 0; i < 40; ++i) {
    cursor += (rng() % 4) * k2M + (rng() % 3) * k4K;  // gap, sometimes none
    const uint64_t size = (1 + rng() % 1500) * k4K;
    const uint64_t phys =
        (rng() % 2 ? (cursor & (k2M - 1)) : (rng() % 512) * k4K) + (rng() % 64) * k2M;
    PagePerms perms{.write = bool(rng() % 2),
                    .execute = bool(rng() % 2),
                    .user = bool(rng() % 2),
                    .global = bool(rng() % 2)};
    const bool large = rng() % 4 != 0;
    ASSERT_EQ(f.builder.map(cursor, phys, size, perms, large), PagingError::None) << i;
    done.push_back({cursor, phys, size, perms});
    cursor += size;
  }
  for (const auto& m : done) {
    for (uint64_t off = 0; off < m.size; off += k4K) {
      const auto raw = raw_walk(f.memory, f.builder.root(), m.virt + off);
      ASSERT_TRUE(raw.has_value());
      const uint64_t frame =
          (raw->entry & kAddr & ~(raw->page_size - 1)) + ((m.virt + off) & (raw->page_size - 1));
      ASSERT_EQ(frame, m.phys + off);
      ASSERT_EQ(bool(raw->entry & mu::kPteUser), m.perms.user);
      ASSERT_EQ(bool(raw->entry & mu::kPteWritable), m.perms.write);
      ASSERT_EQ(bool(raw->entry & mu::kPteNoExecute), !m.perms.execute);
      ASSERT_EQ(bool(raw->entry & mu::kPteGlobal), m.perms.global);
    }
  }
}

TEST(Paging, ErrorStringsExist) {
  for (auto e : {PagingError::None, PagingError::Misaligned, PagingError::NonCanonical,
                 PagingError::OutOfMemory, PagingError::AlreadyMapped, PagingError::NotMapped,
                 PagingError::SplitsLargePage, PagingError::NotUserRange}) {
    EXPECT_STRNE(mu::paging_error_string(e), "unknown paging error");
  }
}

// ---- unmap, protect, free_tables ----

TEST(Paging, UnmapRemovesPagesAndReportsThemForFlush) {
  Fixture f;
  ASSERT_EQ(f.builder.map(0x400000, 0x1000, 4 * k4K, kUserText), PagingError::None);
  mu::TlbFlushList flush;
  ASSERT_EQ(f.builder.unmap(0x401000, 2 * k4K, &flush), PagingError::None);
  expect_page(f, 0x400000, 0x1000, k4K, kUserText);
  expect_unmapped(f, 0x401000);
  expect_unmapped(f, 0x402000);
  expect_page(f, 0x403000, 0x4000, k4K, kUserText);
  ASSERT_EQ(flush.count, 2u);
  EXPECT_EQ(flush.pages[0], 0x401000u);
  EXPECT_EQ(flush.pages[1], 0x402000u);
  EXPECT_FALSE(flush.full_flush);
  // The range can be mapped again.
  ASSERT_EQ(f.builder.map(0x401000, 0x9000, 2 * k4K, kUserText), PagingError::None);
  expect_page(f, 0x402000, 0xA000, k4K, kUserText);
}

TEST(Paging, UnmapSkipsHolesAndWholeLargePages) {
  Fixture f;
  ASSERT_EQ(f.builder.map(0x200000, 0x400000, k2M, kUserText), PagingError::None);
  ASSERT_EQ(f.builder.map(0x600000, 0x1000, k4K, kUserText), PagingError::None);
  mu::TlbFlushList flush;
  ASSERT_EQ(f.builder.unmap(0, 0x800000, &flush), PagingError::None);
  for (uint64_t v = 0; v < 0x800000; v += k4K) expect_unmapped(f, v);
  ASSERT_EQ(flush.count, 2u);
  EXPECT_EQ(flush.pages[0], 0x200000u);  // one entry for the whole 2 MiB page
  EXPECT_EQ(flush.pages[1], 0x600000u);
}

TEST(Paging, UnmapOfPartOfLargePageChangesNothing) {
  Fixture f;
  ASSERT_EQ(f.builder.map(0x400000, 0x1000, k4K, kUserText), PagingError::None);
  ASSERT_EQ(f.builder.map(0x40000000, 0, k1G, kKernelData, true, true), PagingError::None);
  ASSERT_EQ(f.builder.map(0x200000, 0x800000, k2M, kKernelData), PagingError::None);
  const auto before = f.memory.tables();
  mu::TlbFlushList flush;
  EXPECT_EQ(f.builder.unmap(0x201000, k4K, &flush), PagingError::SplitsLargePage);
  // Covers the 4 KiB page first, then only half of the 1 GiB page: nothing may change.
  EXPECT_EQ(f.builder.unmap(0x400000, 0x40000000, &flush), PagingError::SplitsLargePage);
  EXPECT_EQ(f.builder.protect(0x40000000, k2M, kUserText, &flush), PagingError::SplitsLargePage);
  EXPECT_EQ(f.memory.tables(), before);
  EXPECT_TRUE(flush.empty());
}

TEST(Paging, UnmapAndProtectValidateArguments) {
  Fixture f;
  mu::TlbFlushList flush;
  EXPECT_EQ(f.builder.unmap(0x400800, k4K, &flush), PagingError::Misaligned);
  EXPECT_EQ(f.builder.unmap(0x400000, 0x800, &flush), PagingError::Misaligned);
  EXPECT_EQ(f.builder.protect(0x400000, 0x800, kUserText, &flush), PagingError::Misaligned);
  EXPECT_EQ(f.builder.unmap(0x00007FFFFFFFF000ULL, 2 * k4K, &flush), PagingError::NonCanonical);
  EXPECT_EQ(f.builder.unmap(0xFFFFFFFFFFFFF000ULL, 2 * k4K, &flush), PagingError::NonCanonical);
  EXPECT_EQ(f.builder.protect(0x0000800000000000ULL, k4K, kUserText, &flush),
            PagingError::NonCanonical);
  EXPECT_EQ(f.builder.unmap(0x400000, 0, &flush), PagingError::None);
  EXPECT_EQ(f.builder.unmap(0x400000, k4K, &flush), PagingError::None);  // nothing there
  EXPECT_TRUE(flush.empty());
  EXPECT_EQ(f.memory.tables().size(), 1u);
}

TEST(Paging, ProtectChangesPermissionsKeepsFrames) {
  Fixture f;
  const PagePerms rw_user{.write = true, .user = true};
  ASSERT_EQ(f.builder.map(0x1FF000, 0x5FF000, 0x402000, rw_user), PagingError::None);
  mu::TlbFlushList flush;
  ASSERT_EQ(f.builder.protect(0x1FF000, 0x402000, kUserText, &flush), PagingError::None);
  for (uint64_t v = 0x1FF000; v < 0x601000; v += k4K) {
    const uint64_t want = (v >= 0x200000 && v < 0x600000) ? k2M : k4K;
    expect_page(f, v, 0x5FF000 + (v - 0x1FF000), want, kUserText);
  }
  EXPECT_EQ(flush.count, 4u);  // 0x1FF000, 0x200000, 0x400000, 0x600000
}

TEST(Paging, ProtectOfKernelPageToUserSetsIntermediateUserBits) {
  Fixture f;
  ASSERT_EQ(f.builder.map(0x400000, 0x1000, k4K, kKernelData), PagingError::None);
  mu::TlbFlushList flush;
  ASSERT_EQ(f.builder.protect(0x400000, k4K, kUserText, &flush), PagingError::None);
  expect_page(f, 0x400000, 0x1000, k4K, kUserText);
}

TEST(Paging, ProtectRefusesHolesBeforeChangingAnything) {
  Fixture f;
  ASSERT_EQ(f.builder.map(0x400000, 0x1000, k4K, kKernelData), PagingError::None);
  ASSERT_EQ(f.builder.map(0x402000, 0x3000, k4K, kKernelData), PagingError::None);
  const auto before = f.memory.tables();
  mu::TlbFlushList flush;
  EXPECT_EQ(f.builder.protect(0x400000, 3 * k4K, kUserText, &flush), PagingError::NotMapped);
  EXPECT_EQ(f.builder.protect(0x800000, k4K, kUserText, &flush), PagingError::NotMapped);
  EXPECT_EQ(f.memory.tables(), before);
  EXPECT_TRUE(flush.empty());
}

TEST(Paging, FlushListOverflowsIntoFullFlush) {
  Fixture f;
  const uint64_t pages = mu::TlbFlushList::kCapacity + 5;
  ASSERT_EQ(f.builder.map(0x400000, 0x1000, pages * k4K, kUserText, false), PagingError::None);
  mu::TlbFlushList flush;
  ASSERT_EQ(f.builder.unmap(0x400000, pages * k4K, &flush), PagingError::None);
  EXPECT_EQ(flush.count, mu::TlbFlushList::kCapacity);
  EXPECT_TRUE(flush.full_flush);
  EXPECT_FALSE(flush.empty());
}

TEST(Paging, FreeTablesReleasesEveryTableBelowTheChosenEntries) {
  Fixture f;
  ASSERT_EQ(f.builder.map(0x400000, 0x1000, k4K, kUserText), PagingError::None);
  ASSERT_EQ(f.builder.map(0x7F0000000000ULL, 0x2000, k2M + k4K, kUserText), PagingError::None);
  ASSERT_EQ(f.builder.map(0x40000000, 0, k1G, kUserText, true, true), PagingError::None);
  ASSERT_EQ(f.builder.map(0xFFFF800000000000ULL, 0, k4K, kKernelData), PagingError::None);
  const size_t kernel_tables = 3;  // PDPT, PD, PT under PML4 entry 256
  const size_t before = f.memory.tables().size();
  f.builder.free_tables(0, 256);
  EXPECT_EQ(f.memory.tables().size(), 1 + kernel_tables);
  EXPECT_EQ(f.memory.freed(), before - 1 - kernel_tables);
  expect_unmapped(f, 0x400000);
  expect_unmapped(f, 0x40000000);
  expect_unmapped(f, 0x7F0000000000ULL);
  expect_page(f, 0xFFFF800000000000ULL, 0, k4K, kKernelData);
  const uint64_t* pml4 = f.memory.table_at(f.builder.root());
  for (size_t i = 0; i < 256; ++i) EXPECT_EQ(pml4[i], 0u) << i;
}

}  // namespace
