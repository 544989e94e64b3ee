// Tests for copy, mint, move, delete and revoke on single slots: semantics, rights, badges, errors.
#include "cap_test_support.h"

namespace kernel::object::test {
namespace {

constexpr uint8_t R = mu::kRightRead;
constexpr uint8_t W = mu::kRightWrite;
constexpr uint8_t G = mu::kRightGrant;
constexpr uint8_t GR = mu::kRightGrantReply;

// Root slot 0: untyped; 1: endpoint; 2: notification; 3: frame; 4: reply; 5: irq control.
struct OpsWorld : CapWorld {
  OpsWorld() {
    install_untyped(0, 0, 20);
    EXPECT_EQ(retype(0, ObjectType::Endpoint, 0, 1, 1), CapStatus::Ok);
    EXPECT_EQ(retype(0, ObjectType::Notification, 0, 2, 1), CapStatus::Ok);
    EXPECT_EQ(retype(0, ObjectType::Frame4K, 0, 3, 1), CapStatus::Ok);
    EXPECT_EQ(retype(0, ObjectType::Reply, 0, 4, 1), CapStatus::Ok);
    Capability irq{ObjectType::IrqControl, Rights::all()};
    EXPECT_EQ(cap_install_root(at(5), irq), CapStatus::Ok);
  }
};

TEST(CapCoreOps, CopyMakesAChildWithMaskedRights) {
  OpsWorld w;
  ASSERT_EQ(cap_copy(w.at(1), w.at(10), R | W), CapStatus::Ok);
  const Slot& c = w.slot(10);
  EXPECT_EQ(c.cap.type, ObjectType::Endpoint);
  EXPECT_EQ(c.cap.object, w.slot(1).cap.object);
  EXPECT_EQ(c.cap.rights.bits(), R | W);
  EXPECT_EQ(c.cap.original, 0);
  EXPECT_EQ(c.parent, &w.slot(1));
  EXPECT_EQ(w.slot(1).first_child, &w.slot(10));
  // A copy of the copy asking for everything still gets only R|W, and then only R.
  ASSERT_EQ(cap_copy(w.at(10), w.at(11), mu::kRightsAll), CapStatus::Ok);
  EXPECT_EQ(w.slot(11).cap.rights.bits(), R | W);
  ASSERT_EQ(cap_copy(w.at(11), w.at(12), R | G), CapStatus::Ok);
  EXPECT_EQ(w.slot(12).cap.rights.bits(), R);
  ASSERT_EQ(cap_copy(w.at(12), w.at(13), 0), CapStatus::Ok);
  EXPECT_EQ(w.slot(13).cap.rights.bits(), 0);
  ASSERT_EQ(cap_copy(w.at(13), w.at(14), mu::kRightsAll), CapStatus::Ok);
  EXPECT_EQ(w.slot(14).cap.rights.bits(), 0);
}

TEST(CapCoreOps, CopyErrorsChangeNothing) {
  OpsWorld w;
  ASSERT_EQ(cap_copy(w.at(1), w.at(10), R), CapStatus::Ok);
  struct Case {
    const char* name;
    SlotRef src;
    SlotRef dst;
    uint8_t mask;
    CapStatus expected;
  };
  const Case cases[] = {
      {"src out of range", w.at(64), w.at(20), R, CapStatus::InvalidSlot},
      {"dst out of range", w.at(1), w.at(1000), R, CapStatus::InvalidSlot},
      {"invalid cnode", SlotRef{CNode(), 0}, w.at(20), R, CapStatus::InvalidSlot},
      {"src empty", w.at(30), w.at(20), R, CapStatus::SlotEmpty},
      {"dst occupied", w.at(1), w.at(10), R, CapStatus::SlotOccupied},
      {"dst is src", w.at(1), w.at(1), R, CapStatus::SlotOccupied},
      {"undefined rights bit", w.at(1), w.at(20), 0x10, CapStatus::InvalidArgument},
      {"untyped", w.at(0), w.at(20), R, CapStatus::IllegalOperation},
      {"reply", w.at(4), w.at(20), R, CapStatus::IllegalOperation},
  };
  for (const Case& c : cases) {
    const Snapshot before(w);
    EXPECT_EQ(cap_copy(c.src, c.dst, c.mask), c.expected) << c.name;
    EXPECT_TRUE(Snapshot(w) == before) << c.name;
  }
}

TEST(CapCoreOps, MintBadgeRules) {
  OpsWorld w;
  ASSERT_EQ(cap_mint(w.at(1), w.at(10), W | G, 0x1234), CapStatus::Ok);
  EXPECT_EQ(w.slot(10).cap.badge(), 0x1234u);
  EXPECT_EQ(w.slot(10).cap.rights.bits(), W | G);
  EXPECT_EQ(w.slot(1).cap.badge(), 0u) << "the source keeps its (absent) badge";
  // Badge 0 keeps whatever the source has: a plain copy of a badged cap stays badged.
  ASSERT_EQ(cap_mint(w.at(10), w.at(11), W, 0), CapStatus::Ok);
  EXPECT_EQ(w.slot(11).cap.badge(), 0x1234u);
  ASSERT_EQ(cap_copy(w.at(10), w.at(12), W), CapStatus::Ok);
  EXPECT_EQ(w.slot(12).cap.badge(), 0x1234u);

  const Snapshot before(w);
  EXPECT_EQ(cap_mint(w.at(10), w.at(20), W, 0x99), CapStatus::AlreadyBadged);
  EXPECT_EQ(cap_mint(w.at(10), w.at(20), W, 0x1234), CapStatus::AlreadyBadged);
  EXPECT_EQ(cap_mint(w.at(3), w.at(20), R, 7), CapStatus::WrongType) << "frames carry no badge";
  EXPECT_EQ(cap_mint(w.at(5), w.at(20), R, 7), CapStatus::WrongType);
  EXPECT_EQ(cap_mint(w.at(0), w.at(20), R, 7), CapStatus::IllegalOperation);
  EXPECT_TRUE(Snapshot(w) == before);

  ASSERT_EQ(cap_mint(w.at(2), w.at(21), W, ~uint64_t{0}), CapStatus::Ok);
  EXPECT_EQ(w.slot(21).cap.badge(), ~uint64_t{0});
  // Two different badges from one unbadged original are siblings in the tree.
  ASSERT_EQ(cap_mint(w.at(1), w.at(22), W, 0x5678), CapStatus::Ok);
  EXPECT_EQ(w.slot(22).parent, &w.slot(1));
}

TEST(CapCoreOps, MoveKeepsCapAndTreePosition) {
  OpsWorld w;
  ASSERT_EQ(cap_copy(w.at(1), w.at(10), R | W), CapStatus::Ok);
  ASSERT_EQ(cap_copy(w.at(10), w.at(11), R), CapStatus::Ok);
  ASSERT_EQ(cap_copy(w.at(10), w.at(12), W), CapStatus::Ok);
  const Capability moved = w.slot(10).cap;
  ASSERT_EQ(cap_move(w.at(10), w.at(40)), CapStatus::Ok);
  EXPECT_TRUE(w.slot(10).empty());
  EXPECT_EQ(w.slot(10).parent, nullptr);
  EXPECT_EQ(w.slot(10).first_child, nullptr);
  EXPECT_EQ(std::memcmp(&w.slot(40).cap, &moved, sizeof moved), 0);
  EXPECT_EQ(w.slot(40).parent, &w.slot(1));
  EXPECT_EQ(w.slot(11).parent, &w.slot(40));
  EXPECT_EQ(w.slot(12).parent, &w.slot(40));
  // Moving an original keeps it original (and untyped caps may move though they cannot be copied).
  ASSERT_EQ(cap_move(w.at(0), w.at(63)), CapStatus::Ok);
  EXPECT_EQ(w.slot(1).parent, &w.slot(63));
  EXPECT_EQ(w.slot(63).cap.original, 1);
  EXPECT_EQ(w.retype(63, ObjectType::Endpoint, 0, 50, 1), CapStatus::Ok);
  // Revoking through the new slot reaches the moved subtree.
  ASSERT_EQ(cap_revoke(w.ctx, w.at(40)), CapStatus::Ok);
  EXPECT_TRUE(w.slot(11).empty());
  EXPECT_TRUE(w.slot(12).empty());
  EXPECT_FALSE(w.slot(40).empty());

  const Snapshot before(w);
  EXPECT_EQ(cap_move(w.at(40), w.at(40)), CapStatus::SlotOccupied);
  EXPECT_EQ(cap_move(w.at(10), w.at(20)), CapStatus::SlotEmpty);
  EXPECT_EQ(cap_move(w.at(40), w.at(64)), CapStatus::InvalidSlot);
  EXPECT_EQ(cap_move(w.at(64), w.at(20)), CapStatus::InvalidSlot);
  EXPECT_TRUE(Snapshot(w) == before);
}

TEST(CapCoreOps, DeleteNonLastKeepsObjectAndReattachesChildren) {
  OpsWorld w;
  ASSERT_EQ(cap_copy(w.at(1), w.at(10), R | W), CapStatus::Ok);
  ASSERT_EQ(cap_copy(w.at(10), w.at(11), R), CapStatus::Ok);
  ASSERT_EQ(cap_copy(w.at(10), w.at(12), W), CapStatus::Ok);
  EXPECT_FALSE(cdt_is_last(&w.slot(10)));
  ASSERT_EQ(cap_delete(w.ctx, w.at(10)), CapStatus::Ok);
  EXPECT_TRUE(w.hook.destroyed.empty());
  EXPECT_EQ(w.slot(11).parent, &w.slot(1));
  EXPECT_EQ(w.slot(12).parent, &w.slot(1));
  // Deleting the original leaves the two copies under the untyped, still naming the endpoint.
  ASSERT_EQ(cap_delete(w.ctx, w.at(1)), CapStatus::Ok);
  EXPECT_TRUE(w.hook.destroyed.empty());
  EXPECT_EQ(w.slot(11).parent, &w.slot(0));
  EXPECT_FALSE(cdt_is_last(&w.slot(11)));
  ASSERT_EQ(cap_delete(w.ctx, w.at(12)), CapStatus::Ok);
  EXPECT_TRUE(cdt_is_last(&w.slot(11)));
  const uint64_t ep = w.slot(11).cap.object;
  ASSERT_EQ(cap_delete(w.ctx, w.at(11)), CapStatus::Ok);
  EXPECT_EQ(w.hook.count_for(ObjectType::Endpoint, ep), 1);
  EXPECT_EQ(w.hook.destroyed.size(), 1u);

  const Snapshot before(w);
  EXPECT_EQ(cap_delete(w.ctx, w.at(11)), CapStatus::SlotEmpty);
  EXPECT_EQ(cap_delete(w.ctx, w.at(64)), CapStatus::InvalidSlot);
  EXPECT_EQ(cap_delete(w.ctx, SlotRef{CNode(), 0}), CapStatus::InvalidSlot);
  EXPECT_EQ(cap_revoke(w.ctx, w.at(11)), CapStatus::SlotEmpty);
  EXPECT_EQ(cap_revoke(w.ctx, w.at(~uint64_t{0})), CapStatus::InvalidSlot);
  EXPECT_TRUE(Snapshot(w) == before);
}

TEST(CapCoreOps, NonMemoryCapsAreDestroyedOnce) {
  OpsWorld w;
  ASSERT_EQ(cap_copy(w.at(5), w.at(10), R), CapStatus::Ok);
  ASSERT_EQ(cap_delete(w.ctx, w.at(5)), CapStatus::Ok);
  EXPECT_TRUE(w.hook.destroyed.empty());
  ASSERT_EQ(cap_delete(w.ctx, w.at(10)), CapStatus::Ok);
  ASSERT_EQ(w.hook.destroyed.size(), 1u);
  EXPECT_EQ(w.hook.destroyed[0].type, ObjectType::IrqControl);
}

TEST(CapCoreOps, InstallRootValidates) {
  CapWorld w;
  EXPECT_EQ(cap_install_root(w.at(0), Capability{}), CapStatus::InvalidArgument);
  EXPECT_EQ(cap_install_root(w.at(64), make_untyped_cap(CapWorld::kRamBase, 12)),
            CapStatus::InvalidSlot);
  EXPECT_EQ(cap_install_root(w.at(0), make_untyped_cap(CapWorld::kRamBase + 2048, 12)),
            CapStatus::InvalidArgument);
  EXPECT_EQ(cap_install_root(w.at(0), make_untyped_cap(CapWorld::kRamBase, 4)),
            CapStatus::InvalidArgument);
  EXPECT_EQ(cap_install_root(w.at(0), make_untyped_cap(CapWorld::kRamBase, 48)),
            CapStatus::InvalidArgument);
  Capability used = make_untyped_cap(CapWorld::kRamBase, 12);
  used.word0 = 64;
  EXPECT_EQ(cap_install_root(w.at(0), used), CapStatus::InvalidArgument);
  Capability bogus{static_cast<ObjectType>(16), Rights::all()};
  EXPECT_EQ(cap_install_root(w.at(0), bogus), CapStatus::InvalidArgument);
  EXPECT_TRUE(w.slot(0).empty());
  ASSERT_EQ(cap_install_root(w.at(0), make_untyped_cap(CapWorld::kRamBase, 12)), CapStatus::Ok);
  EXPECT_EQ(cap_install_root(w.at(0), make_untyped_cap(CapWorld::kRamBase, 12)),
            CapStatus::SlotOccupied);
}

TEST(CapCoreOps, RightsType) {
  EXPECT_EQ(Rights::from_bits(0xFF).bits(), mu::kRightsAll);
  EXPECT_TRUE(Rights::from_bits(R | W).subset_of(Rights::all()));
  EXPECT_FALSE(Rights::all().subset_of(Rights::from_bits(R | W | G)));
  EXPECT_TRUE(Rights::from_bits(GR).can_grant_reply());
  EXPECT_FALSE(Rights::from_bits(GR).can_grant());
  EXPECT_EQ(Rights::all().masked(Rights::from_bits(W)).bits(), W);
}

}  // namespace
}  // namespace kernel::object::test
