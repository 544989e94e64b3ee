// Host tests of VSpace, page-table and frame objects (kernel/object/vspace_core.cc) over
// simulated RAM and a fake CR3/TLB.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "cap_test_support.h"
#include "mm/user_range.h"
#include "mu/ipc.h"
#include "mu/paging.h"
#include "object/vspace_core.h"

namespace kernel::object::test {
namespace {

constexpr uint64_t kW = mu::kMapWrite;
constexpr uint64_t kX = mu::kMapExecute;
constexpr uint64_t kKernelMarker = 0xABC000 | mu::kPtePresent;

class FakePaging final : public PagingHardware {
 public:
  uint64_t kernel_root() override { return kernel; }
  uint64_t loaded_root() override { return loaded; }
  void invalidate_page(uint64_t vaddr) override { invalidated.push_back(vaddr); }
  void flush_loaded() override { ++flushes; }
  void release_root(uint64_t root) override {
    released.push_back(root);
    if (loaded == root) loaded = kernel;
  }

  uint64_t kernel = 0;
  uint64_t loaded = 0;
  std::vector<uint64_t> invalidated;
  int flushes = 0;
  std::vector<uint64_t> released;
};

// Forwards the capability core's hooks to the VSpace table, as kernel_objects.cc does.
class VSpaceHook final : public DestroyHook {
 public:
  void destroy(const Capability& cap) override {
    if (cap.type == ObjectType::VSpace) table->destroyed(cap);
  }
  void deleted(const Capability& cap) override { table->mapping_cap_deleted(cap); }
  VSpaceTable* table = nullptr;
};

// Slots: 1 = untyped [0, 4 MiB) for small objects, 2 = untyped [4 MiB, 8 MiB) for 2 MiB frames,
// 3 = the fake kernel PML4 (a Frame4K), 10.. = objects the tests make.
class VSpaceTest : public ::testing::Test {
 protected:
  VSpaceTest() : world(8), table(std::make_unique<VSpaceTable>(world.memory, hw)) {
    hook.table = table.get();
    world.ctx.hook = &hook;
    world.install_untyped(1, 0, 22);
    world.install_untyped(2, 4u << 20, 22);
    EXPECT_EQ(world.retype(1, ObjectType::Frame4K, 0, 3, 1), CapStatus::Ok);
    hw.kernel = world.slot(3).cap.object;
    uint64_t* k = entries(hw.kernel);
    for (int i = 0; i < 512; ++i) k[i] = i < 256 ? 0 : kKernelMarker + (uint64_t(i) << 12);
  }

  uint64_t* entries(uint64_t phys) { return static_cast<uint64_t*>(world.memory.to_virtual(phys)); }

  // A new object of `type` in slot `index` (VSpaces get their ASID as kernel_retype does).
  Slot* make(ObjectType type, uint64_t index) {
    const uint64_t ut = type == ObjectType::Frame2M ? 2 : 1;
    EXPECT_EQ(world.retype(ut, type, 0, index, 1), CapStatus::Ok);
    Slot* s = &world.slot(index);
    if (type == ObjectType::VSpace) table->created(&s->cap);
    return s;
  }
  Slot* copy(uint64_t from, uint64_t to, uint8_t rights = mu::kRightsAll) {
    EXPECT_EQ(cap_copy(world.at(from), world.at(to), rights), CapStatus::Ok);
    return &world.slot(to);
  }

  // A VSpace in slot 10 with Pdpt 11, PageDirectory 12 and PageTable 13 mapped for `base`.
  void make_tables(uint64_t base) {
    vs = make(ObjectType::VSpace, 10);
    ASSERT_EQ(table->map_page_table(make(ObjectType::Pdpt, 11), vs, base), mu::Status::Ok);
    ASSERT_EQ(table->map_page_table(make(ObjectType::PageDirectory, 12), vs, base), mu::Status::Ok);
    ASSERT_EQ(table->map_page_table(make(ObjectType::PageTable, 13), vs, base), mu::Status::Ok);
  }

  // The entry at `level` for `vaddr` in `root`'s tables, or 0 when a level above is missing.
  uint64_t entry(uint64_t root, uint64_t vaddr, unsigned level) {
    uint64_t phys = root;
    for (unsigned l = 4;; --l) {
      const uint64_t e = entries(phys)[(vaddr >> (12 + 9 * (l - 1))) & 511];
      if (l == level) return e;
      if ((e & mu::kPtePresent) == 0) return 0;
      phys = e & mu::kPteAddressMask;
    }
  }
  uint64_t leaf(uint64_t vaddr) { return entry(vs->cap.object, vaddr, 1); }

  CapWorld world;
  FakePaging hw;
  std::unique_ptr<VSpaceTable> table;
  VSpaceHook hook;
  Slot* vs = nullptr;
};

constexpr uint64_t kBase = 0x40'0000;  // 4 MiB: in the first Pdpt, PD and a 2 MiB-aligned PT

TEST_F(VSpaceTest, CreatedGetsAsidAndKernelHalf) {
  Slot* a = make(ObjectType::VSpace, 10);
  Slot* b = make(ObjectType::VSpace, 11);
  EXPECT_EQ(a->cap.word0, 1u);
  EXPECT_EQ(b->cap.word0, 2u);
  EXPECT_EQ(table->root_of(1), a->cap.object);
  EXPECT_EQ(table->live_count(), 2u);
  const uint64_t* pml4 = entries(a->cap.object);
  for (int i = 0; i < 256; ++i) EXPECT_EQ(pml4[i], 0u) << i;
  for (int i = 256; i < 512; ++i) EXPECT_EQ(pml4[i], kKernelMarker + (uint64_t(i) << 12)) << i;
}

TEST_F(VSpaceTest, DeleteFreesAsidAndReleasesCr3) {
  Slot* a = make(ObjectType::VSpace, 10);
  const uint64_t root = a->cap.object;
  hw.loaded = root;
  ASSERT_EQ(cap_delete(world.ctx, world.at(10)), CapStatus::Ok);
  EXPECT_EQ(table->root_of(1), 0u);
  EXPECT_EQ(table->live_count(), 0u);
  ASSERT_EQ(hw.released.size(), 1u);
  EXPECT_EQ(hw.released[0], root);
  EXPECT_EQ(hw.loaded, hw.kernel);
}

TEST_F(VSpaceTest, AsidsRunOutAndAreReused) {
  // Every ASID on one PML4 page: created only copies the kernel half into it.
  std::vector<Capability> caps(kMaxAsids);
  const uint64_t page = make(ObjectType::Frame4K, 20)->cap.object;
  for (uint64_t i = 1; i < kMaxAsids; ++i) {
    ASSERT_TRUE(table->asids_available(1));
    caps[i] = Capability{ObjectType::VSpace, Rights::all(), 12, 1, 0, page, 0, 0};
    table->created(&caps[i]);
    ASSERT_EQ(caps[i].word0, i);
  }
  EXPECT_FALSE(table->asids_available(1));
  EXPECT_TRUE(table->asids_available(0));
  Capability extra{ObjectType::VSpace, Rights::all(), 12, 1, 0, page, 0, 0};
  table->created(&extra);
  EXPECT_EQ(extra.word0, 0u);  // no ASID: unusable
  Slot s;
  s.cap = extra;
  Slot f;
  f.cap = make(ObjectType::Frame4K, 21)->cap;
  EXPECT_EQ(table->map_frame(&f, &s, kBase, 0), mu::Status::IllegalOperation);

  table->destroyed(caps[7]);
  EXPECT_TRUE(table->asids_available(1));
  EXPECT_FALSE(table->asids_available(2));
  Capability again{ObjectType::VSpace, Rights::all(), 12, 1, 0, page, 0, 0};
  table->created(&again);
  EXPECT_EQ(again.word0, 7u);
}

TEST_F(VSpaceTest, NextFitDoesNotReuseAFreedAsidAtOnce) {
  Slot* a = make(ObjectType::VSpace, 10);
  EXPECT_EQ(a->cap.word0, 1u);
  ASSERT_EQ(cap_delete(world.ctx, world.at(10)), CapStatus::Ok);
  EXPECT_EQ(make(ObjectType::VSpace, 11)->cap.word0, 2u);
}

TEST_F(VSpaceTest, MapTablesAndFrame) {
  make_tables(kBase + 0x1234);
  const uint64_t root = vs->cap.object;
  const uint64_t kTable = mu::kPtePresent | mu::kPteWritable | mu::kPteUser;
  EXPECT_EQ(entry(root, kBase, 4), world.slot(11).cap.object | kTable);
  EXPECT_EQ(entry(root, kBase, 3), world.slot(12).cap.object | kTable);
  EXPECT_EQ(entry(root, kBase, 2), world.slot(13).cap.object | kTable);
  // Records: the start of the covered range with bit 0 set, and the ASID.
  EXPECT_EQ(world.slot(11).cap.word0, 1u);  // Pdpt for [0, 512 GiB)
  EXPECT_EQ(world.slot(12).cap.word0, 1u);
  EXPECT_EQ(world.slot(13).cap.word0, kBase | 1);
  EXPECT_EQ(world.slot(13).cap.word1, vs->cap.word0);

  Slot* f = make(ObjectType::Frame4K, 20);
  ASSERT_EQ(table->map_frame(f, vs, kBase + 0x3000, kW), mu::Status::Ok);
  EXPECT_EQ(leaf(kBase + 0x3000),
            f->cap.object | mu::kPtePresent | mu::kPteUser | mu::kPteWritable | mu::kPteNoExecute);
  EXPECT_EQ(f->cap.word0, kBase + 0x3000);
  EXPECT_EQ(f->cap.word1, vs->cap.word0);
  EXPECT_TRUE(hw.invalidated.empty());  // a new mapping replaces nothing
}

TEST_F(VSpaceTest, LeafPermissions) {
  make_tables(kBase);
  Slot* r = make(ObjectType::Frame4K, 20);
  Slot* x = make(ObjectType::Frame4K, 21);
  ASSERT_EQ(table->map_frame(r, vs, kBase, 0), mu::Status::Ok);
  ASSERT_EQ(table->map_frame(x, vs, kBase + 0x1000, kX), mu::Status::Ok);
  EXPECT_EQ(leaf(kBase), r->cap.object | mu::kPtePresent | mu::kPteUser | mu::kPteNoExecute);
  EXPECT_EQ(leaf(kBase + 0x1000), x->cap.object | mu::kPtePresent | mu::kPteUser);
}

TEST_F(VSpaceTest, Frame2MUsesLargeEntry) {
  vs = make(ObjectType::VSpace, 10);
  ASSERT_EQ(table->map_page_table(make(ObjectType::Pdpt, 11), vs, kBase), mu::Status::Ok);
  ASSERT_EQ(table->map_page_table(make(ObjectType::PageDirectory, 12), vs, kBase), mu::Status::Ok);
  Slot* big = make(ObjectType::Frame2M, 20);
  EXPECT_EQ(table->map_frame(big, vs, kBase + 0x1000, kW), mu::Status::InvalidArgument);
  ASSERT_EQ(table->map_frame(big, vs, kBase, kW), mu::Status::Ok);
  EXPECT_EQ(entry(vs->cap.object, kBase, 2), big->cap.object | mu::kPtePresent | mu::kPteUser |
                                                 mu::kPteWritable | mu::kPteLarge |
                                                 mu::kPteNoExecute);
  // The 2 MiB frame occupies the PD entry: no page table and no 4 KiB frame there.
  EXPECT_EQ(table->map_page_table(make(ObjectType::PageTable, 13), vs, kBase), mu::Status::Busy);
  EXPECT_EQ(table->map_frame(make(ObjectType::Frame4K, 21), vs, kBase + 0x5000, 0),
            mu::Status::Busy);
  ASSERT_EQ(table->unmap_frame(big), mu::Status::Ok);
  EXPECT_EQ(entry(vs->cap.object, kBase, 2), 0u);
  EXPECT_EQ(table->map_page_table(&world.slot(13), vs, kBase), mu::Status::Ok);
}

TEST_F(VSpaceTest, MissingLevels) {
  vs = make(ObjectType::VSpace, 10);
  Slot* f = make(ObjectType::Frame4K, 20);
  Slot* pd = make(ObjectType::PageDirectory, 12);
  Slot* pt = make(ObjectType::PageTable, 13);
  EXPECT_EQ(table->map_page_table(pd, vs, kBase), mu::Status::MissingPageTable);
  EXPECT_EQ(table->map_page_table(pt, vs, kBase), mu::Status::MissingPageTable);
  EXPECT_EQ(table->map_frame(f, vs, kBase, 0), mu::Status::MissingPageTable);
  ASSERT_EQ(table->map_page_table(make(ObjectType::Pdpt, 11), vs, kBase), mu::Status::Ok);
  EXPECT_EQ(table->map_page_table(pt, vs, kBase), mu::Status::MissingPageTable);
  EXPECT_EQ(table->map_frame(f, vs, kBase, 0), mu::Status::MissingPageTable);
  ASSERT_EQ(table->map_page_table(pd, vs, kBase), mu::Status::Ok);
  EXPECT_EQ(table->map_frame(f, vs, kBase, 0), mu::Status::MissingPageTable);
  EXPECT_EQ(table->map_frame(make(ObjectType::Frame2M, 21), vs, kBase, 0), mu::Status::Ok);
  EXPECT_EQ(pd->cap.word0, 1u);
  EXPECT_EQ(f->cap.word0, 0u);
  EXPECT_EQ(pt->cap.word0, 0u);
}

TEST_F(VSpaceTest, BusyCases) {
  make_tables(kBase);
  // Entry in use by another table.
  EXPECT_EQ(table->map_page_table(make(ObjectType::PageTable, 14), vs, kBase + 0x1000),
            mu::Status::Busy);
  // The cap is already mapped (even at a free place), and a copy of a mapped table too.
  EXPECT_EQ(table->map_page_table(&world.slot(13), vs, kBase + (2u << 20)), mu::Status::Busy);
  EXPECT_EQ(table->map_page_table(copy(13, 15), vs, kBase + (2u << 20)), mu::Status::Busy);
  Slot* f = make(ObjectType::Frame4K, 20);
  ASSERT_EQ(table->map_frame(f, vs, kBase, 0), mu::Status::Ok);
  EXPECT_EQ(table->map_frame(f, vs, kBase + 0x1000, 0), mu::Status::Busy);
  EXPECT_EQ(table->map_frame(make(ObjectType::Frame4K, 21), vs, kBase, 0), mu::Status::Busy);
  // A copy of a mapped frame maps elsewhere: that is how frames are shared.
  EXPECT_EQ(table->map_frame(copy(20, 22), vs, kBase + 0x1000, 0), mu::Status::Ok);
  EXPECT_EQ(leaf(kBase + 0x1000) & mu::kPteAddressMask, f->cap.object);
}

TEST_F(VSpaceTest, AddressChecks) {
  make_tables(kBase);
  Slot* f = make(ObjectType::Frame4K, 20);
  for (uint64_t bad : {kBase + 1, kBase + 0x800, uint64_t{0}, uint64_t{0xF000}, mm::kUserEnd,
                       mm::kUserEnd - 0x1000, mm::kKernelHalfStart, uint64_t{0x0000'9000'0000'0000},
                       ~uint64_t{0xFFF}})
    EXPECT_EQ(table->map_frame(f, vs, bad, 0), mu::Status::InvalidArgument) << std::hex << bad;
  // The last page but one is fine (with its tables).
  const uint64_t top = mm::kUserEnd - 0x2000;
  Slot* p = make(ObjectType::Pdpt, 30);
  Slot* d = make(ObjectType::PageDirectory, 31);
  Slot* t = make(ObjectType::PageTable, 32);
  EXPECT_EQ(table->map_page_table(p, vs, mm::kUserEnd), mu::Status::InvalidArgument);
  EXPECT_EQ(table->map_page_table(p, vs, mm::kKernelHalfStart), mu::Status::InvalidArgument);
  ASSERT_EQ(table->map_page_table(p, vs, top), mu::Status::Ok);
  ASSERT_EQ(table->map_page_table(d, vs, top), mu::Status::Ok);
  ASSERT_EQ(table->map_page_table(t, vs, top), mu::Status::Ok);
  EXPECT_EQ(table->map_frame(f, vs, top, 0), mu::Status::Ok);
  // A 2 MiB frame whose last page is the last user page is refused.
  EXPECT_EQ(table->map_frame(make(ObjectType::Frame2M, 21), vs, mm::kUserEnd - (2u << 20), 0),
            mu::Status::InvalidArgument);
  EXPECT_EQ(table->map_frame(&world.slot(21), vs, 0, 0), mu::Status::InvalidArgument);
}

TEST_F(VSpaceTest, FlagAndRightChecks) {
  make_tables(kBase);
  Slot* f = make(ObjectType::Frame4K, 20);
  EXPECT_EQ(table->map_frame(f, vs, kBase, kW | kX), mu::Status::InvalidArgument);
  EXPECT_EQ(table->map_frame(f, vs, kBase, 4), mu::Status::InvalidArgument);
  EXPECT_EQ(table->map_frame(f, vs, kBase, uint64_t{1} << 63), mu::Status::InvalidArgument);
  Slot* ro = copy(20, 21, mu::kRightRead);
  EXPECT_EQ(table->map_frame(ro, vs, kBase, kW), mu::Status::InsufficientRights);
  Slot* none = copy(20, 22, mu::kRightWrite);
  EXPECT_EQ(table->map_frame(none, vs, kBase, 0), mu::Status::InsufficientRights);
  EXPECT_EQ(table->map_frame(none, vs, kBase, kX), mu::Status::InsufficientRights);
  uint64_t address = 0;
  EXPECT_EQ(table->frame_address(none, &address), mu::Status::InsufficientRights);
  EXPECT_EQ(table->frame_address(ro, &address), mu::Status::Ok);
  EXPECT_EQ(address, f->cap.object);
  ASSERT_EQ(table->map_frame(ro, vs, kBase, kX), mu::Status::Ok);
  EXPECT_EQ(table->remap_frame(ro, kW), mu::Status::InsufficientRights);
  EXPECT_EQ(table->remap_frame(ro, kW | kX), mu::Status::InvalidArgument);
  EXPECT_EQ(table->remap_frame(ro, 8), mu::Status::InvalidArgument);
}

TEST_F(VSpaceTest, WrongTypes) {
  make_tables(kBase);
  Slot* f = make(ObjectType::Frame4K, 20);
  EXPECT_EQ(table->map_frame(&world.slot(13), vs, kBase, 0), mu::Status::WrongType);
  EXPECT_EQ(table->map_frame(f, &world.slot(13), kBase, 0), mu::Status::WrongType);
  EXPECT_EQ(table->map_page_table(f, vs, kBase), mu::Status::WrongType);
  EXPECT_EQ(table->map_page_table(vs, vs, kBase), mu::Status::WrongType);
  EXPECT_EQ(table->unmap_page_table(f), mu::Status::WrongType);
  EXPECT_EQ(table->unmap_frame(vs), mu::Status::WrongType);
  EXPECT_EQ(table->remap_frame(&world.slot(12), 0), mu::Status::WrongType);
  uint64_t address = 0;
  EXPECT_EQ(table->frame_address(vs, &address), mu::Status::WrongType);
}

TEST_F(VSpaceTest, FailedCallsChangeNothing) {
  make_tables(kBase);
  Slot* f = make(ObjectType::Frame4K, 20);
  ASSERT_EQ(table->map_frame(f, vs, kBase, 0), mu::Status::Ok);
  Slot* g = make(ObjectType::Frame4K, 21);
  Slot* ro = copy(21, 22, mu::kRightRead);
  Slot* pt = make(ObjectType::PageTable, 23);
  const Snapshot before(world);
  EXPECT_NE(table->map_frame(g, vs, kBase, 0), mu::Status::Ok);
  EXPECT_NE(table->map_frame(ro, vs, kBase + 0x1000, kW), mu::Status::Ok);
  EXPECT_NE(table->map_frame(g, vs, kBase + (1ull << 30), 0), mu::Status::Ok);
  EXPECT_NE(table->map_page_table(pt, vs, kBase), mu::Status::Ok);
  EXPECT_NE(table->map_page_table(pt, vs, mm::kUserEnd), mu::Status::Ok);
  EXPECT_NE(table->remap_frame(f, kW | kX), mu::Status::Ok);
  EXPECT_NE(table->remap_frame(g, 0), mu::Status::Ok);
  EXPECT_NE(table->unmap_frame(g), mu::Status::Ok);
  EXPECT_NE(table->unmap_page_table(pt), mu::Status::Ok);
  EXPECT_TRUE(Snapshot(world) == before);
}

TEST_F(VSpaceTest, UnmapAndRemapFrame) {
  make_tables(kBase);
  Slot* f = make(ObjectType::Frame4K, 20);
  EXPECT_EQ(table->unmap_frame(f), mu::Status::NotMapped);
  EXPECT_EQ(table->remap_frame(f, 0), mu::Status::NotMapped);
  ASSERT_EQ(table->map_frame(f, vs, kBase, kW), mu::Status::Ok);
  hw.loaded = vs->cap.object;
  ASSERT_EQ(table->remap_frame(f, 0), mu::Status::Ok);
  EXPECT_EQ(leaf(kBase), f->cap.object | mu::kPtePresent | mu::kPteUser | mu::kPteNoExecute);
  ASSERT_EQ(table->remap_frame(f, kX), mu::Status::Ok);
  EXPECT_EQ(leaf(kBase), f->cap.object | mu::kPtePresent | mu::kPteUser);
  EXPECT_EQ(hw.invalidated, (std::vector<uint64_t>{kBase, kBase}));
  ASSERT_EQ(table->unmap_frame(f), mu::Status::Ok);
  EXPECT_EQ(leaf(kBase), 0u);
  EXPECT_EQ(f->cap.word0, 0u);
  EXPECT_EQ(f->cap.word1, 0u);
  EXPECT_EQ(hw.invalidated.size(), 3u);
  EXPECT_EQ(table->unmap_frame(f), mu::Status::NotMapped);
  // Not loaded: nothing to invalidate.
  hw.loaded = hw.kernel;
  ASSERT_EQ(table->map_frame(f, vs, kBase + 0x5000, 0), mu::Status::Ok);
  ASSERT_EQ(table->unmap_frame(f), mu::Status::Ok);
  EXPECT_EQ(hw.invalidated.size(), 3u);
}

TEST_F(VSpaceTest, DeleteOfMappedCapUnmapsOnlyItsOwnMapping) {
  make_tables(kBase);
  Slot* f = make(ObjectType::Frame4K, 20);
  Slot* c = copy(20, 21);
  ASSERT_EQ(table->map_frame(f, vs, kBase, 0), mu::Status::Ok);
  ASSERT_EQ(table->map_frame(c, vs, kBase + 0x1000, 0), mu::Status::Ok);
  Slot* unmapped_copy = copy(20, 22);
  ASSERT_EQ(cap_delete(world.ctx, world.at(22)), CapStatus::Ok);
  (void)unmapped_copy;
  EXPECT_NE(leaf(kBase), 0u);
  hw.loaded = vs->cap.object;
  ASSERT_EQ(cap_delete(world.ctx, world.at(21)), CapStatus::Ok);
  EXPECT_EQ(leaf(kBase + 0x1000), 0u);
  EXPECT_NE(leaf(kBase), 0u);
  EXPECT_EQ(hw.invalidated, (std::vector<uint64_t>{kBase + 0x1000}));
  // The address is free again.
  EXPECT_EQ(table->map_frame(make(ObjectType::Frame4K, 23), vs, kBase + 0x1000, 0), mu::Status::Ok);
}

TEST_F(VSpaceTest, RevokeUnmapsEveryCopy) {
  make_tables(kBase);
  make(ObjectType::Frame4K, 20);
  for (uint64_t i = 0; i < 4; ++i)
    ASSERT_EQ(table->map_frame(copy(i == 0 ? 20 : 20 + i, 21 + i), vs, kBase + i * 0x1000, 0),
              mu::Status::Ok);
  ASSERT_EQ(table->map_frame(&world.slot(20), vs, kBase + 0x8000, 0), mu::Status::Ok);
  ASSERT_EQ(cap_revoke(world.ctx, world.at(20)), CapStatus::Ok);
  for (uint64_t i = 0; i < 4; ++i) EXPECT_EQ(leaf(kBase + i * 0x1000), 0u) << i;
  EXPECT_NE(leaf(kBase + 0x8000), 0u);  // the revoked cap keeps its own mapping
  ASSERT_EQ(cap_delete(world.ctx, world.at(20)), CapStatus::Ok);
  EXPECT_EQ(leaf(kBase + 0x8000), 0u);
}

TEST_F(VSpaceTest, UnmapTableZeroesItAndFlushes) {
  make_tables(kBase);
  Slot* f = make(ObjectType::Frame4K, 20);
  ASSERT_EQ(table->map_frame(f, vs, kBase, kW), mu::Status::Ok);
  Slot* pt = &world.slot(13);
  hw.loaded = vs->cap.object;
  ASSERT_EQ(table->unmap_page_table(pt), mu::Status::Ok);
  EXPECT_EQ(hw.flushes, 1);
  EXPECT_EQ(entry(vs->cap.object, kBase, 2), 0u);
  for (int i = 0; i < 512; ++i) ASSERT_EQ(entries(pt->cap.object)[i], 0u) << i;
  EXPECT_EQ(pt->cap.word0, 0u);
  EXPECT_EQ(table->unmap_page_table(pt), mu::Status::NotMapped);
  // The frame's record is stale: remap finds nothing, unmap drops it.
  EXPECT_EQ(table->remap_frame(f, 0), mu::Status::NotMapped);
  EXPECT_EQ(table->map_frame(f, vs, kBase, 0), mu::Status::Busy);
  ASSERT_EQ(table->map_page_table(pt, vs, kBase + (2u << 20)), mu::Status::Ok);
  EXPECT_EQ(entry(vs->cap.object, kBase + (2u << 20), 1), 0u);  // came back empty
  EXPECT_EQ(table->unmap_frame(f), mu::Status::Ok);
  EXPECT_EQ(table->map_frame(f, vs, kBase + (2u << 20), 0), mu::Status::Ok);
}

TEST_F(VSpaceTest, OrphanTableCannotBeRelinkedWithOldEntries) {
  make_tables(kBase);
  Slot* f = make(ObjectType::Frame4K, 20);
  ASSERT_EQ(table->map_frame(f, vs, kBase, kW), mu::Status::Ok);
  // Unmapping the PD orphans the page table below it, which still holds the frame's entry.
  ASSERT_EQ(table->unmap_page_table(&world.slot(12)), mu::Status::Ok);
  Slot* pt_copy = copy(13, 14);
  EXPECT_EQ(table->map_page_table(pt_copy, vs, kBase), mu::Status::Busy);  // 13 records a mapping
  ASSERT_EQ(table->map_page_table(&world.slot(12), vs, kBase), mu::Status::Ok);
  EXPECT_EQ(leaf(kBase), 0u);  // the PD came back empty: the page table stays orphaned
  EXPECT_EQ(table->map_page_table(pt_copy, vs, kBase), mu::Status::Busy);
  // Deleting the recording cap zeroes the table; then the copy may link it, empty.
  ASSERT_EQ(cap_delete(world.ctx, world.at(13)), CapStatus::Ok);
  ASSERT_EQ(table->map_page_table(pt_copy, vs, kBase), mu::Status::Ok);
  EXPECT_EQ(leaf(kBase), 0u);
  // The frame's stale record does not touch the new table's entries.
  Slot* g = make(ObjectType::Frame4K, 21);
  ASSERT_EQ(table->map_frame(g, vs, kBase, 0), mu::Status::Ok);
  ASSERT_EQ(cap_delete(world.ctx, world.at(20)), CapStatus::Ok);
  EXPECT_EQ(leaf(kBase) & mu::kPteAddressMask, g->cap.object);
}

TEST_F(VSpaceTest, DestroyedVSpaceLeavesStaleRecords) {
  make_tables(kBase);
  Slot* f = make(ObjectType::Frame4K, 20);
  ASSERT_EQ(table->map_frame(f, vs, kBase, 0), mu::Status::Ok);
  const uint64_t old_root = vs->cap.object;
  const uint64_t pml4_entry = entry(old_root, kBase, 4);
  ASSERT_EQ(cap_delete(world.ctx, world.at(10)), CapStatus::Ok);
  EXPECT_EQ(entry(old_root, kBase, 4), pml4_entry);  // the destroy hook leaves the memory alone
  // Caps that recorded mappings there are inert but still "mapped" until unmapped.
  EXPECT_EQ(table->remap_frame(f, 0), mu::Status::NotMapped);
  Slot* other = make(ObjectType::VSpace, 15);
  EXPECT_EQ(table->map_page_table(&world.slot(11), other, kBase), mu::Status::Busy);
  EXPECT_EQ(table->unmap_page_table(&world.slot(11)), mu::Status::Ok);
  for (int i = 0; i < 512; ++i) ASSERT_EQ(entries(world.slot(11).cap.object)[i], 0u);
  EXPECT_EQ(table->map_page_table(&world.slot(11), other, kBase), mu::Status::Ok);
  ASSERT_EQ(cap_delete(world.ctx, world.at(20)), CapStatus::Ok);  // nothing to undo
}

TEST_F(VSpaceTest, DeletingAMappedTableCapUnlinksIt) {
  make_tables(kBase);
  hw.loaded = vs->cap.object;
  ASSERT_EQ(cap_delete(world.ctx, world.at(11)), CapStatus::Ok);
  EXPECT_EQ(entry(vs->cap.object, kBase, 4), 0u);
  EXPECT_EQ(hw.flushes, 1);
  EXPECT_EQ(table->map_page_table(make(ObjectType::Pdpt, 14), vs, kBase), mu::Status::Ok);
}

}  // namespace
}  // namespace kernel::object::test
