// Tests for retype: sizes, alignment, watermark, zeroing, errors that change nothing, reuse.
#include <string>

#include "cap_test_support.h"

namespace kernel::object::test {
namespace {

struct TypeCase {
  ObjectType type;
  unsigned user_bits;
  unsigned expected_bits;
};

class RetypeEachType : public ::testing::TestWithParam<TypeCase> {};

TEST_P(RetypeEachType, SizeAlignmentWatermarkAndZeroing) {
  const TypeCase tc = GetParam();
  CapWorld w;
  w.install_untyped(0, 0, 23);
  // Misalign the watermark first so alignment has to do work.
  ASSERT_EQ(w.retype(0, ObjectType::Endpoint, 0, 1, 1), CapStatus::Ok);
  ASSERT_EQ(w.slot(0).cap.watermark(), 32u);

  ASSERT_EQ(w.retype(0, tc.type, tc.user_bits, 2, 3), CapStatus::Ok);
  const uint64_t size = uint64_t{1} << tc.expected_bits;
  const uint64_t first = (32 + size - 1) & ~(size - 1);
  for (uint64_t i = 0; i < 3; ++i) {
    const Capability& cap = w.slot(2 + i).cap;
    EXPECT_EQ(cap.type, tc.type);
    EXPECT_EQ(cap.object, CapWorld::kRamBase + first + i * size);
    EXPECT_EQ(cap.object % size, 0u) << "object not naturally aligned";
    EXPECT_EQ(cap.rights, Rights::all());
    EXPECT_EQ(cap.original, 1);
    EXPECT_EQ(cap.badge(), 0u);
    EXPECT_EQ(w.slot(2 + i).parent, &w.slot(0));
    // Every byte of the object is zero; the byte after the last object is untouched.
    const uint8_t* p = static_cast<uint8_t*>(w.memory.to_virtual(cap.object));
    for (uint64_t b = 0; b < size; ++b) {
      ASSERT_EQ(p[b], 0) << "byte " << b;
    }
  }
  EXPECT_EQ(w.slot(0).cap.watermark(), first + 3 * size);
  if (first + 3 * size < (uint64_t{1} << 23)) {
    EXPECT_EQ(w.memory.byte_at(CapWorld::kRamBase + first + 3 * size), 0xA5);
  }
  EXPECT_EQ(untyped_free_bytes(w.slot(0).cap), (uint64_t{1} << 23) - (first + 3 * size));
}

INSTANTIATE_TEST_SUITE_P(
    CapCore, RetypeEachType,
    ::testing::Values(TypeCase{ObjectType::Untyped, 12, 12}, TypeCase{ObjectType::Untyped, 5, 5},
                      TypeCase{ObjectType::CNode, 1, 7}, TypeCase{ObjectType::CNode, 4, 10},
                      TypeCase{ObjectType::Tcb, 0, 14}, TypeCase{ObjectType::Endpoint, 0, 5},
                      TypeCase{ObjectType::Notification, 0, 6}, TypeCase{ObjectType::Reply, 0, 5},
                      TypeCase{ObjectType::VSpace, 0, 12}, TypeCase{ObjectType::Pdpt, 0, 12},
                      TypeCase{ObjectType::PageDirectory, 0, 12},
                      TypeCase{ObjectType::PageTable, 0, 12}, TypeCase{ObjectType::Frame4K, 0, 12},
                      TypeCase{ObjectType::Frame2M, 0, 21}),
    // Readable ctest names: "type<N>_bits<B>" (N as in mu/cap_abi.h).
    [](const ::testing::TestParamInfo<TypeCase>& param_info) {
      return "type" + std::to_string(static_cast<int>(param_info.param.type)) + "_bits" +
             std::to_string(param_info.param.user_bits);
    });

TEST(CapCoreRetype, ObjectSizeTable) {
  EXPECT_EQ(object_size_bits(ObjectType::Tcb, 0), 14u);
  EXPECT_EQ(object_size_bits(ObjectType::CNode, 0), 0u);
  EXPECT_EQ(object_size_bits(ObjectType::CNode, 21), 0u);
  EXPECT_EQ(object_size_bits(ObjectType::CNode, 20), 26u);
  EXPECT_EQ(object_size_bits(ObjectType::Untyped, 4), 0u);
  EXPECT_EQ(object_size_bits(ObjectType::Untyped, 48), 0u);
  EXPECT_EQ(object_size_bits(ObjectType::IrqHandler, 0), 0u);
  EXPECT_FALSE(is_retypable(ObjectType::IrqControl));
  EXPECT_FALSE(is_retypable(ObjectType::IoPort));
  EXPECT_FALSE(is_retypable(ObjectType::Null));
  EXPECT_FALSE(is_retypable(static_cast<ObjectType>(200)));
}

TEST(CapCoreRetype, RetypedCNodeIsEmptyAndUsable) {
  CapWorld w;
  w.install_untyped(0, 0, 16);
  ASSERT_EQ(w.retype(0, ObjectType::CNode, 3, 1, 1), CapStatus::Ok);
  CNode inner = CNode::from_cap(w.slot(1).cap, w.memory);
  ASSERT_TRUE(inner.valid());
  EXPECT_EQ(inner.slot_count(), 8u);
  EXPECT_TRUE(inner.is_empty());
  EXPECT_EQ(inner.slot(8), nullptr);
  // A retype straight into the new CNode works and links into the tree.
  RetypeRequest req{ObjectType::Endpoint, 0, inner, 7, 1};
  ASSERT_EQ(retype(w.ctx, w.at(0), req), CapStatus::Ok);
  EXPECT_EQ(inner.slot(7)->cap.type, ObjectType::Endpoint);
  EXPECT_EQ(inner.slot(7)->parent, &w.slot(0));
  EXPECT_FALSE(CNode::from_cap(w.slot(0).cap, w.memory).valid());
}

// Each error: the right code, and not one byte of slots or memory changed.
TEST(CapCoreRetype, EveryErrorChangesNothing) {
  CapWorld w;
  w.install_untyped(0, 0, 16);
  ASSERT_EQ(w.retype(0, ObjectType::Endpoint, 0, 10, 1), CapStatus::Ok);  // dest 10 occupied
  ASSERT_EQ(cap_install_root(w.at(11), Capability{ObjectType::IrqControl, Rights::all()}),
            CapStatus::Ok);
  struct Case {
    const char* name;
    uint64_t ut;
    ObjectType type;
    unsigned bits;
    CNode dest;
    uint64_t index;
    uint64_t count;
    CapStatus expected;
  };
  const CNode root = w.root;
  const Case cases[] = {
      {"untyped index out of range", 64, ObjectType::Endpoint, 0, root, 1, 1,
       CapStatus::InvalidSlot},
      {"untyped slot empty", 5, ObjectType::Endpoint, 0, root, 1, 1, CapStatus::SlotEmpty},
      {"not an untyped", 10, ObjectType::Endpoint, 0, root, 1, 1, CapStatus::WrongType},
      {"not an untyped (irq)", 11, ObjectType::Endpoint, 0, root, 1, 1, CapStatus::WrongType},
      {"null type", 0, ObjectType::Null, 0, root, 1, 1, CapStatus::InvalidType},
      {"irq control", 0, ObjectType::IrqControl, 0, root, 1, 1, CapStatus::InvalidType},
      {"unknown type", 0, static_cast<ObjectType>(99), 0, root, 1, 1, CapStatus::InvalidType},
      {"untyped too small", 0, ObjectType::Untyped, 4, root, 1, 1, CapStatus::InvalidSize},
      {"untyped bigger than parent", 0, ObjectType::Untyped, 17, root, 1, 1,
       CapStatus::InvalidSize},
      {"cnode radix 0", 0, ObjectType::CNode, 0, root, 1, 1, CapStatus::InvalidSize},
      {"cnode radix 21", 0, ObjectType::CNode, 21, root, 1, 1, CapStatus::InvalidSize},
      {"frame2m in 64k", 0, ObjectType::Frame2M, 0, root, 1, 1, CapStatus::InvalidSize},
      {"count 0", 0, ObjectType::Endpoint, 0, root, 1, 0, CapStatus::InvalidCount},
      {"count too many", 0, ObjectType::Endpoint, 0, root, 1, 257, CapStatus::InvalidCount},
      {"dest index out of range", 0, ObjectType::Endpoint, 0, root, 64, 1, CapStatus::InvalidSlot},
      {"dest range runs past end", 0, ObjectType::Endpoint, 0, root, 60, 5, CapStatus::InvalidSlot},
      {"dest index near 2^64", 0, ObjectType::Endpoint, 0, root, ~uint64_t{0}, 2,
       CapStatus::InvalidSlot},
      {"dest cnode invalid", 0, ObjectType::Endpoint, 0, CNode(), 0, 1, CapStatus::InvalidSlot},
      {"dest occupied (middle)", 0, ObjectType::Endpoint, 0, root, 8, 4, CapStatus::SlotOccupied},
      {"dest is the untyped", 0, ObjectType::Endpoint, 0, root, 0, 1, CapStatus::SlotOccupied},
      {"exhausted", 0, ObjectType::Frame4K, 0, root, 12, 16, CapStatus::NotEnoughMemory},
      {"exhausted by alignment", 0, ObjectType::Untyped, 16, root, 1, 1,
       CapStatus::NotEnoughMemory},
  };
  for (const Case& c : cases) {
    const Snapshot before(w);
    RetypeRequest req{c.type, c.bits, c.dest, c.index, c.count};
    EXPECT_EQ(retype(w.ctx, SlotRef{w.root, c.ut}, req), c.expected) << c.name;
    EXPECT_TRUE(Snapshot(w) == before) << c.name << ": state changed";
  }
  // The same memory, asked for correctly, works: 15 frames fit after the endpoint.
  EXPECT_EQ(w.retype(0, ObjectType::Frame4K, 0, 12, 15), CapStatus::Ok);
  EXPECT_EQ(w.retype(0, ObjectType::Endpoint, 0, 40, 1), CapStatus::NotEnoughMemory);
}

TEST(CapCoreRetype, ExhaustionIsExact) {
  CapWorld w;
  w.install_untyped(0, 0, 12);
  ASSERT_EQ(w.retype(0, ObjectType::Endpoint, 0, 1, 63), CapStatus::Ok);  // 63 * 32 bytes
  EXPECT_EQ(untyped_free_bytes(w.slot(0).cap), 4096u - 63 * 32);
  EXPECT_EQ(w.retype(0, ObjectType::Notification, 0, 1, 1), CapStatus::SlotOccupied);
  EXPECT_EQ(w.retype(0, ObjectType::Endpoint, 0, 0, 2), CapStatus::SlotOccupied);
  ASSERT_EQ(w.slot(63).cap.type, ObjectType::Endpoint);
}

TEST(CapCoreRetype, ChildUntypedRetypesIndependently) {
  CapWorld w;
  w.install_untyped(0, 0, 16);
  ASSERT_EQ(w.retype(0, ObjectType::Untyped, 14, 1, 2), CapStatus::Ok);
  EXPECT_EQ(w.slot(0).cap.watermark(), 2u << 14);
  EXPECT_EQ(w.slot(1).cap.watermark(), 0u);
  ASSERT_EQ(w.retype(1, ObjectType::Frame4K, 0, 10, 4), CapStatus::Ok);
  EXPECT_EQ(w.slot(1).cap.watermark(), 4u << 12);
  EXPECT_EQ(w.slot(10).parent, &w.slot(1));
  EXPECT_EQ(w.retype(1, ObjectType::Frame4K, 0, 20, 1), CapStatus::NotEnoughMemory);
  EXPECT_EQ(w.retype(2, ObjectType::Frame4K, 0, 20, 4), CapStatus::Ok);
  EXPECT_EQ(w.slot(20).cap.object, CapWorld::kRamBase + (1u << 14));
}

TEST(CapCoreRetype, FullSizeChildUntypedIsASeparateObject) {
  CapWorld w;
  w.install_untyped(0, 0, 14);
  ASSERT_EQ(w.retype(0, ObjectType::Untyped, 14, 1, 1), CapStatus::Ok);
  EXPECT_TRUE(cdt_is_last(&w.slot(1)));
  ASSERT_EQ(w.retype(1, ObjectType::Endpoint, 0, 2, 1), CapStatus::Ok);
  ASSERT_EQ(cap_delete(w.ctx, w.at(1)), CapStatus::Ok);
  EXPECT_EQ(w.hook.count_for(ObjectType::Untyped, CapWorld::kRamBase), 1);
  // The endpoint, carved from the deleted child, now hangs below the parent: its memory stays used.
  EXPECT_EQ(w.slot(2).parent, &w.slot(0));
  EXPECT_EQ(w.slot(0).cap.watermark(), 1u << 14);
  ASSERT_EQ(cap_delete(w.ctx, w.at(2)), CapStatus::Ok);
  EXPECT_EQ(w.slot(0).cap.watermark(), 0u);
}

// Memory returns: after every child is gone the watermark is 0 and the full size can be retyped.
TEST(CapCoreRetype, MemoryReturnsWhenAllChildrenAreGone) {
  CapWorld w;
  w.install_untyped(0, 0, 21);
  ASSERT_EQ(w.retype(0, ObjectType::Tcb, 0, 1, 8), CapStatus::Ok);
  ASSERT_EQ(w.retype(0, ObjectType::Frame4K, 0, 9, 8), CapStatus::Ok);
  ASSERT_EQ(cap_copy(w.at(9), w.at(30), mu::kRightsAll), CapStatus::Ok);
  EXPECT_EQ(w.retype(0, ObjectType::Frame2M, 0, 40, 1), CapStatus::NotEnoughMemory);
  for (uint64_t i = 1; i < 17; ++i) {
    ASSERT_EQ(cap_delete(w.ctx, w.at(i)), CapStatus::Ok);
    EXPECT_NE(w.slot(0).cap.watermark(), 0u) << "reset while children remain, i=" << i;
  }
  // The copy of frame 9 still holds frame 9's memory.
  EXPECT_EQ(w.hook.count_for(ObjectType::Frame4K, w.slot(30).cap.object), 0);
  EXPECT_EQ(w.slot(30).parent, &w.slot(0));
  ASSERT_EQ(cap_delete(w.ctx, w.at(30)), CapStatus::Ok);
  EXPECT_EQ(w.slot(0).cap.watermark(), 0u);
  EXPECT_EQ(w.hook.destroyed.size(), 16u);
  ASSERT_EQ(w.retype(0, ObjectType::Frame2M, 0, 40, 1), CapStatus::Ok);
  EXPECT_EQ(w.slot(40).cap.object, CapWorld::kRamBase);
}

TEST(CapCoreRetype, RevokeReturnsAllMemory) {
  CapWorld w;
  w.install_untyped(0, 0, 20);
  ASSERT_EQ(w.retype(0, ObjectType::Untyped, 16, 1, 4), CapStatus::Ok);
  ASSERT_EQ(w.retype(1, ObjectType::Endpoint, 0, 10, 20), CapStatus::Ok);
  ASSERT_EQ(w.retype(2, ObjectType::CNode, 2, 30, 2), CapStatus::Ok);
  ASSERT_EQ(cap_revoke(w.ctx, w.at(0)), CapStatus::Ok);
  for (uint64_t i = 1; i < 64; ++i) {
    EXPECT_TRUE(w.slot(i).empty()) << i;
  }
  EXPECT_EQ(w.slot(0).first_child, nullptr);
  EXPECT_EQ(w.slot(0).cap.watermark(), 0u);
  EXPECT_EQ(w.hook.destroyed.size(), 4u + 20u + 2u);
  EXPECT_EQ(w.retype(0, ObjectType::Untyped, 20, 1, 1), CapStatus::Ok);
}

}  // namespace
}  // namespace kernel::object::test
