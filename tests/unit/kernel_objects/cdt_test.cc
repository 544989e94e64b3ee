// Tests for the derivation tree: deep revoke, tree shape, and CNode destruction cascades.
#include <algorithm>

#include "cap_test_support.h"

namespace kernel::object::test {
namespace {

struct DeepWorld : CapWorld {
  DeepWorld() {
    install_untyped(0, 0, 22);
    EXPECT_EQ(retype(0, ObjectType::CNode, 8, 1, 1), CapStatus::Ok);
    big = CNode::from_cap(slot(1).cap, memory);
    RetypeRequest req{ObjectType::Endpoint, 0, big, 0, 1};
    EXPECT_EQ(object::retype(ctx, at(0), req), CapStatus::Ok);
  }
  SlotRef b(uint64_t i) const { return SlotRef{big, i}; }
  CNode big;
};

TEST(CapCoreCdt, RevokeDeepChainRemovesEveryDescendantAndNothingElse) {
  DeepWorld w;
  constexpr uint64_t kDepth = 150;
  // Chain 0 -> 1 -> ... -> 150 of endpoint copies, each a child of the previous.
  for (uint64_t i = 1; i <= kDepth; ++i) {
    ASSERT_EQ(cap_copy(w.b(i - 1), w.b(i), mu::kRightsAll), CapStatus::Ok);
  }
  // Side branches: a second copy of slot 0 (sibling of the chain) and a badged mint of slot 40
  // that hangs inside the chain.
  ASSERT_EQ(cap_copy(w.b(0), w.b(200), mu::kRightRead), CapStatus::Ok);
  ASSERT_EQ(cap_mint(w.b(40), w.b(201), mu::kRightWrite, 77), CapStatus::Ok);
  ASSERT_EQ(cap_copy(w.b(201), w.b(202), mu::kRightWrite), CapStatus::Ok);
  ASSERT_EQ(cdt_leaf_descendant(w.big.slot(0)) != nullptr, true);

  ASSERT_EQ(cap_revoke(w.ctx, w.b(10)), CapStatus::Ok);
  for (uint64_t i = 0; i <= 10; ++i) {
    EXPECT_FALSE(w.big.slot(i)->empty()) << i;
  }
  for (uint64_t i = 11; i <= kDepth; ++i) {
    EXPECT_TRUE(w.big.slot(i)->empty()) << i;
  }
  EXPECT_TRUE(w.big.slot(201)->empty());
  EXPECT_TRUE(w.big.slot(202)->empty());
  EXPECT_FALSE(w.big.slot(200)->empty());
  EXPECT_EQ(w.big.slot(10)->first_child, nullptr);
  EXPECT_TRUE(w.hook.destroyed.empty()) << "the endpoint still has caps";
  expect_links_consistent(w.big);
  expect_links_consistent(w.root);

  // Now revoke from the untyped: the endpoint and the CNode itself go, each exactly once.
  const uint64_t ep = w.big.slot(0)->cap.object;
  const uint64_t cn = w.slot(1).cap.object;
  ASSERT_EQ(cap_revoke(w.ctx, w.at(0)), CapStatus::Ok);
  EXPECT_EQ(w.hook.count_for(ObjectType::Endpoint, ep), 1);
  EXPECT_EQ(w.hook.count_for(ObjectType::CNode, cn), 1);
  EXPECT_EQ(w.hook.destroyed.size(), 2u);
  EXPECT_EQ(w.slot(0).cap.watermark(), 0u);
  EXPECT_EQ(w.retype(0, ObjectType::Untyped, 22, 1, 1), CapStatus::Ok);
}

TEST(CapCoreCdt, PreOrderWalkVisitsExactlyTheSubtree) {
  DeepWorld w;
  // 0 -> {1 -> {3, 4 -> {5}}, 2}; plus 6, a copy of 0's sibling run that must not be visited.
  ASSERT_EQ(cap_copy(w.b(0), w.b(1), mu::kRightsAll), CapStatus::Ok);
  ASSERT_EQ(cap_copy(w.b(0), w.b(2), mu::kRightsAll), CapStatus::Ok);
  ASSERT_EQ(cap_copy(w.b(1), w.b(3), mu::kRightsAll), CapStatus::Ok);
  ASSERT_EQ(cap_copy(w.b(1), w.b(4), mu::kRightsAll), CapStatus::Ok);
  ASSERT_EQ(cap_copy(w.b(4), w.b(5), mu::kRightsAll), CapStatus::Ok);
  RetypeRequest req{ObjectType::Endpoint, 0, w.big, 6, 1};
  ASSERT_EQ(retype(w.ctx, w.at(0), req), CapStatus::Ok);
  auto walk = [&](uint64_t root) {
    std::vector<uint64_t> seen;
    Slot* r = w.big.slot(root);
    for (Slot* s = cdt_next_descendant(r, r); s != nullptr; s = cdt_next_descendant(r, s))
      seen.push_back(static_cast<uint64_t>(s - w.big.slot(0)));
    std::sort(seen.begin(), seen.end());
    return seen;
  };
  EXPECT_EQ(walk(0), (std::vector<uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(walk(1), (std::vector<uint64_t>{3, 4, 5}));
  EXPECT_EQ(walk(4), (std::vector<uint64_t>{5}));
  EXPECT_TRUE(walk(5).empty());
  EXPECT_TRUE(walk(6).empty());
  // Pre-order: every node comes after its parent.
  Slot* r = w.big.slot(0);
  std::vector<const Slot*> order;
  for (Slot* s = cdt_next_descendant(r, r); s != nullptr; s = cdt_next_descendant(r, s))
    order.push_back(s);
  for (size_t i = 0; i < order.size(); ++i) {
    if (order[i]->parent == r) continue;
    EXPECT_LT(std::find(order.begin(), order.end(), order[i]->parent) - order.begin(),
              static_cast<long>(i));
  }
}

TEST(CapCoreCdt, DeepTreeOfUntypedsRevokes) {
  DeepWorld w;
  // Nested untypeds 2^21, 2^20, ..., each an original child of the one before, 120 caps deep by
  // alternating untyped and endpoint-copy chains is not possible (untypeds are unique), so nest 15
  // untypeds and hang a chain of 100 copies off the innermost object.
  uint64_t next = 10;
  RetypeRequest req{ObjectType::Untyped, 21, w.big, next, 1};
  // The CNode used 2^14 bytes at the start of the 2^22 untyped; the 2^21 child comes after it.
  ASSERT_EQ(retype(w.ctx, w.at(0), req), CapStatus::Ok);
  for (unsigned bits = 20; bits >= 6; --bits) {
    RetypeRequest r{ObjectType::Untyped, bits, w.big, next + 1, 1};
    ASSERT_EQ(retype(w.ctx, w.b(next), r), CapStatus::Ok) << bits;
    ++next;
  }
  RetypeRequest ep{ObjectType::Endpoint, 0, w.big, next + 1, 1};
  ASSERT_EQ(retype(w.ctx, w.b(next), ep), CapStatus::Ok);
  ++next;
  for (int i = 0; i < 100; ++i, ++next) {
    ASSERT_EQ(cap_copy(w.b(next), w.b(next + 1), mu::kRightsAll), CapStatus::Ok);
  }
  ASSERT_EQ(cap_revoke(w.ctx, w.b(10)), CapStatus::Ok);
  for (uint64_t i = 11; i <= next; ++i) {
    EXPECT_TRUE(w.big.slot(i)->empty()) << i;
  }
  EXPECT_EQ(w.hook.destroyed.size(), 15u + 1u);
  EXPECT_EQ(w.big.slot(10)->cap.watermark(), 0u);
  expect_links_consistent(w.big);
}

TEST(CapCoreCdt, IsLastAcrossRunsOfSiblings) {
  DeepWorld w;
  // Two endpoints from the same untyped are neighbours in its child list but different objects.
  RetypeRequest req{ObjectType::Endpoint, 0, w.big, 1, 2};
  ASSERT_EQ(retype(w.ctx, w.at(0), req), CapStatus::Ok);
  EXPECT_TRUE(cdt_is_last(w.big.slot(1)));
  EXPECT_TRUE(cdt_is_last(w.big.slot(2)));
  ASSERT_EQ(cap_copy(w.b(1), w.b(3), mu::kRightsAll), CapStatus::Ok);
  ASSERT_EQ(cap_copy(w.b(3), w.b(4), mu::kRightsAll), CapStatus::Ok);
  EXPECT_FALSE(cdt_is_last(w.big.slot(1)));
  EXPECT_TRUE(cdt_is_last(w.big.slot(2)));
  ASSERT_EQ(cap_delete(w.ctx, w.b(1)), CapStatus::Ok);  // 3 becomes a sibling of 2
  EXPECT_EQ(w.big.slot(3)->parent, &w.slot(0));
  EXPECT_TRUE(cdt_is_last(w.big.slot(2)));
  EXPECT_FALSE(cdt_is_last(w.big.slot(3)));
  EXPECT_FALSE(cdt_is_last(w.big.slot(4)));
  ASSERT_EQ(cap_delete(w.ctx, w.b(3)), CapStatus::Ok);
  EXPECT_TRUE(cdt_is_last(w.big.slot(4)));
  EXPECT_TRUE(w.hook.destroyed.empty());
}

TEST(CapCoreCdt, DestroyingACNodeDeletesItsContents) {
  CapWorld w;
  w.install_untyped(0, 0, 20);
  ASSERT_EQ(w.retype(0, ObjectType::CNode, 2, 1, 1), CapStatus::Ok);
  CNode inner = CNode::from_cap(w.slot(1).cap, w.memory);
  // The CNode holds: an endpoint (last cap), a copy of a notification kept outside, and itself.
  RetypeRequest req{ObjectType::Endpoint, 0, inner, 0, 1};
  ASSERT_EQ(retype(w.ctx, w.at(0), req), CapStatus::Ok);
  ASSERT_EQ(w.retype(0, ObjectType::Notification, 0, 2, 1), CapStatus::Ok);
  ASSERT_EQ(cap_copy(w.at(2), SlotRef{inner, 1}, mu::kRightRead), CapStatus::Ok);
  ASSERT_EQ(cap_copy(w.at(1), SlotRef{inner, 2}, mu::kRightsAll), CapStatus::Ok);
  const uint64_t ep = inner.slot(0)->cap.object;
  ASSERT_EQ(cap_delete(w.ctx, w.at(1)), CapStatus::Ok);
  EXPECT_TRUE(w.hook.destroyed.empty()) << "the self copy keeps the CNode alive";
  // Deleting the cap the CNode holds to itself is deleting its last cap: everything inside goes.
  ASSERT_EQ(cap_delete(w.ctx, SlotRef{inner, 2}), CapStatus::Ok);
  EXPECT_EQ(w.hook.count_for(ObjectType::Endpoint, ep), 1);
  EXPECT_EQ(w.hook.count_for(ObjectType::CNode, CapWorld::kRamBase), 1);
  EXPECT_EQ(w.hook.destroyed.size(), 2u);
  EXPECT_EQ(w.slot(2).first_child, nullptr) << "the copy inside the CNode was deleted";
  EXPECT_FALSE(w.slot(2).empty());
  EXPECT_NE(w.slot(0).cap.watermark(), 0u) << "the notification still uses the untyped";
  ASSERT_EQ(cap_delete(w.ctx, w.at(2)), CapStatus::Ok);
  EXPECT_EQ(w.slot(0).cap.watermark(), 0u);
  expect_links_consistent(w.root);
}

TEST(CapCoreCdt, LongChainOfNestedCNodesIsDestroyedWithoutRecursion) {
  CapWorld w;
  w.install_untyped(0, 0, 22);
  constexpr int kChain = 2000;  // deep enough that recursion per level would be suspicious
  ASSERT_EQ(w.retype(0, ObjectType::CNode, 1, 1, 1), CapStatus::Ok);
  CNode cur = CNode::from_cap(w.slot(1).cap, w.memory);
  // Each CNode holds the only cap to the next one in slot 0 and an endpoint in slot 1.
  for (int i = 0; i < kChain; ++i) {
    RetypeRequest cn{ObjectType::CNode, 1, cur, 0, 1};
    ASSERT_EQ(retype(w.ctx, w.at(0), cn), CapStatus::Ok) << i;
    RetypeRequest ep{ObjectType::Endpoint, 0, cur, 1, 1};
    ASSERT_EQ(retype(w.ctx, w.at(0), ep), CapStatus::Ok) << i;
    cur = CNode::from_cap(cur.slot(0)->cap, w.memory);
  }
  ASSERT_EQ(cap_delete(w.ctx, w.at(1)), CapStatus::Ok);
  EXPECT_EQ(w.hook.destroyed.size(), size_t{2 * kChain + 1});
  for (const Capability& c : w.hook.destroyed) {
    EXPECT_EQ(w.hook.count_for(c.type, c.object), 1);
  }
  EXPECT_EQ(w.slot(0).first_child, nullptr);
  EXPECT_EQ(w.slot(0).cap.watermark(), 0u);
}

TEST(CapCoreCdt, RevokeWhoseCascadeDeletesTheUntypedItself) {
  CapWorld w;
  w.install_untyped(0, 0, 20);
  ASSERT_EQ(w.retype(0, ObjectType::Untyped, 16, 1, 1), CapStatus::Ok);
  ASSERT_EQ(w.retype(1, ObjectType::CNode, 2, 2, 1), CapStatus::Ok);
  CNode inner = CNode::from_cap(w.slot(2).cap, w.memory);
  // Move the child untyped into the CNode carved from it, then add more objects from it.
  ASSERT_EQ(cap_move(w.at(1), SlotRef{inner, 0}), CapStatus::Ok);
  RetypeRequest req{ObjectType::Endpoint, 0, inner, 1, 3};
  ASSERT_EQ(retype(w.ctx, SlotRef{inner, 0}, req), CapStatus::Ok);
  ASSERT_EQ(cap_revoke(w.ctx, SlotRef{inner, 0}), CapStatus::Ok);
  // Revoke deleted the CNode's only cap, whose destruction deleted the untyped itself.
  EXPECT_TRUE(w.slot(2).empty());
  EXPECT_EQ(w.hook.destroyed.size(), 3u + 1u + 1u);
  EXPECT_EQ(w.slot(0).first_child, nullptr);
  EXPECT_EQ(w.slot(0).cap.watermark(), 0u);
  expect_links_consistent(w.root);
}

TEST(CapCoreCdt, RevokeOfAnUntypedFreesCNodesHoldingOutsideCaps) {
  CapWorld w;
  w.install_untyped(0, 0, 16);
  w.install_untyped(1, 1 << 16, 16);
  ASSERT_EQ(w.retype(0, ObjectType::CNode, 3, 2, 1), CapStatus::Ok);
  ASSERT_EQ(w.retype(1, ObjectType::Endpoint, 0, 3, 1), CapStatus::Ok);
  CNode inner = CNode::from_cap(w.slot(2).cap, w.memory);
  for (uint64_t i = 0; i < 8; ++i) {
    ASSERT_EQ(cap_copy(w.at(3), SlotRef{inner, i}, mu::kRightWrite), CapStatus::Ok);
  }
  ASSERT_EQ(cap_revoke(w.ctx, w.at(0)), CapStatus::Ok);
  EXPECT_EQ(w.slot(3).first_child, nullptr) << "copies stored in the destroyed CNode are gone";
  EXPECT_EQ(w.hook.destroyed.size(), 1u);
  EXPECT_EQ(w.slot(0).cap.watermark(), 0u);
  EXPECT_NE(w.slot(1).cap.watermark(), 0u);
}

}  // namespace
}  // namespace kernel::object::test
