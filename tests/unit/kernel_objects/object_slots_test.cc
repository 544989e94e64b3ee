// Objects that hold capabilities of their own (a TCB's slot table), the per-capability delete
// notification, and copies of mapping-recording caps.
#include "cap_test_support.h"

namespace kernel::object::test {
namespace {

// A TCB's slot table as the deletion code sees it: kTcbSlotRadix slots at offset 0 of the object.
CNode tcb_slots(CapWorld& w, uint64_t tcb_slot_index) {
  return CNode(static_cast<Slot*>(w.memory.to_virtual(w.slot(tcb_slot_index).cap.object)),
               kTcbSlotRadix);
}

TEST(CapCoreObjectSlots, DeletingATcbEmptiesItsSlotsFirstAndKeepsTheirObjectsAliveUntilThen) {
  CapWorld w;
  w.install_untyped(0, 0, 20);
  ASSERT_EQ(w.retype(0, ObjectType::Tcb, 0, 1, 1), CapStatus::Ok);
  ASSERT_EQ(w.retype(0, ObjectType::Endpoint, 0, 2, 1), CapStatus::Ok);
  const CNode inner = tcb_slots(w, 1);
  // The TCB holds the only remaining cap to the endpoint once the user's cap is gone.
  ASSERT_EQ(cap_copy(w.at(2), SlotRef{inner, 3}, mu::kRightsAll), CapStatus::Ok);
  ASSERT_EQ(cap_delete(w.ctx, w.at(2)), CapStatus::Ok);
  EXPECT_EQ(w.hook.count_for(ObjectType::Endpoint, inner.slot(3)->cap.object), 0)
      << "the TCB's copy keeps the endpoint alive";
  const uint64_t endpoint = inner.slot(3)->cap.object;
  const uint64_t tcb = w.slot(1).cap.object;
  ASSERT_EQ(cap_delete(w.ctx, w.at(1)), CapStatus::Ok);
  ASSERT_EQ(w.hook.destroyed.size(), 2u);
  EXPECT_EQ(w.hook.destroyed[0].type, ObjectType::Endpoint) << "slots are emptied first";
  EXPECT_EQ(w.hook.destroyed[0].object, endpoint);
  EXPECT_EQ(w.hook.destroyed[1].type, ObjectType::Tcb);
  EXPECT_EQ(w.hook.destroyed[1].object, tcb);
  EXPECT_EQ(w.slot(0).cap.watermark(), 0u) << "all memory is back in the untyped";
}

TEST(CapCoreObjectSlots, RevokingTheOriginalRemovesTheCopyInsideATcb) {
  CapWorld w;
  w.install_untyped(0, 0, 20);
  ASSERT_EQ(w.retype(0, ObjectType::Tcb, 0, 1, 1), CapStatus::Ok);
  ASSERT_EQ(w.retype(0, ObjectType::Notification, 0, 2, 1), CapStatus::Ok);
  const CNode inner = tcb_slots(w, 1);
  ASSERT_EQ(cap_copy(w.at(2), SlotRef{inner, 4}, mu::kRightsAll), CapStatus::Ok);
  ASSERT_EQ(cap_revoke(w.ctx, w.at(2)), CapStatus::Ok);
  EXPECT_TRUE(inner.slot(4)->empty());
  EXPECT_FALSE(w.slot(2).empty());
  EXPECT_TRUE(w.hook.destroyed.empty()) << "the original still names the notification";
}

TEST(CapCoreObjectSlots, NestedTcbsInsideEachOtherUnwindWithoutRecursion) {
  CapWorld w;
  w.install_untyped(0, 0, 22);
  constexpr int kDepth = 40;
  ASSERT_EQ(w.retype(0, ObjectType::Tcb, 0, 1, kDepth), CapStatus::Ok);
  // TCB i holds the only cap of TCB i+1 (a chain kept alive only from inside).
  for (int i = kDepth - 1; i >= 1; --i) {
    const CNode inner = tcb_slots(w, static_cast<uint64_t>(i));
    ASSERT_EQ(cap_move(w.at(static_cast<uint64_t>(i + 1)), SlotRef{inner, 0}), CapStatus::Ok);
  }
  ASSERT_EQ(cap_delete(w.ctx, w.at(1)), CapStatus::Ok);
  EXPECT_EQ(w.hook.destroyed.size(), static_cast<size_t>(kDepth));
  EXPECT_EQ(w.slot(0).cap.watermark(), 0u);
}

TEST(CapCoreObjectSlots, EveryDeletedCapIsReportedOnceIncludingCascades) {
  CapWorld w;
  w.install_untyped(0, 0, 20);
  ASSERT_EQ(w.retype(0, ObjectType::CNode, 2, 1, 1), CapStatus::Ok);  // 4 slots
  ASSERT_EQ(w.retype(0, ObjectType::Frame4K, 0, 2, 1), CapStatus::Ok);
  const CNode inner = CNode::from_cap(w.slot(1).cap, w.memory);
  ASSERT_EQ(cap_copy(w.at(2), SlotRef{inner, 0}, mu::kRightsAll), CapStatus::Ok);
  ASSERT_EQ(cap_copy(w.at(2), SlotRef{inner, 1}, mu::kRightRead), CapStatus::Ok);
  ASSERT_EQ(cap_revoke(w.ctx, w.at(0)), CapStatus::Ok);
  // The CNode, the frame and its two copies: four caps deleted, two objects destroyed.
  EXPECT_EQ(w.hook.deleted_caps.size(), 4u);
  EXPECT_EQ(w.hook.destroyed.size(), 2u);
}

TEST(CapCoreObjectSlots, CopiesOfMappingCapsStartUnmappedButBadgesAndPortRangesAreKept) {
  CapWorld w;
  w.install_untyped(0, 0, 22);
  const ObjectType mappable[] = {ObjectType::Frame4K, ObjectType::Pdpt, ObjectType::PageDirectory,
                                 ObjectType::PageTable};
  uint64_t index = 1;
  for (ObjectType type : mappable) {
    ASSERT_EQ(w.retype(0, type, 0, index, 1), CapStatus::Ok);
    w.slot(index).cap.word0 = 0x40'0000;  // as if mapped at 4 MiB in ASID 7
    w.slot(index).cap.word1 = 7;
    ASSERT_EQ(cap_copy(w.at(index), w.at(index + 1), mu::kRightsAll), CapStatus::Ok);
    EXPECT_EQ(w.slot(index + 1).cap.word0, 0u) << static_cast<int>(type);
    EXPECT_EQ(w.slot(index + 1).cap.word1, 0u) << static_cast<int>(type);
    ASSERT_EQ(cap_move(w.at(index), w.at(index + 2)), CapStatus::Ok);
    EXPECT_EQ(w.slot(index + 2).cap.word0, 0x40'0000u) << "a move keeps the mapping";
    index += 3;
  }
  Capability ports{ObjectType::IoPort, Rights::all()};
  ports.word0 = 0x60;
  ports.word1 = 0x64;
  ASSERT_EQ(cap_install_root(w.at(30), ports), CapStatus::Ok);
  ASSERT_EQ(cap_copy(w.at(30), w.at(31), mu::kRightsAll), CapStatus::Ok);
  EXPECT_EQ(w.slot(31).cap.word0, 0x60u);
  EXPECT_EQ(w.slot(31).cap.word1, 0x64u);
}

}  // namespace
}  // namespace kernel::object::test
