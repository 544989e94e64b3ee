// Randomized test over many CNodes (including CNodes holding caps to themselves) for cascades.
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "cap_test_support.h"

namespace kernel::object::test {
namespace {

// Tracks object lifetimes through retype (birth) and the destroy hook (death) and checks after
// every step that no link points at an empty slot or into a destroyed CNode. No reference model:
// the point is the cascades (CNode inside CNode, cycles, untyped caps stored in CNodes carved from
// them) that the flat model in cap_model_test.cc cannot express.
class CapCoreCascadeFuzz : public ::testing::Test {
 protected:
  // (type, physical address, untyped size): untypeds nest, so the address alone is ambiguous. A
  // full-size child untyped shares its parent's key; the multiset counts both.
  using Key = std::tuple<int, uint64_t, int>;
  static Key key_of(const Capability& c) {
    return {static_cast<int>(c.type), c.object, c.type == ObjectType::Untyped ? c.size_bits : 0};
  }

  CapCoreCascadeFuzz() : w(4) {
    w.install_untyped(0, 0, 20);
    live_.insert(key_of(w.slot(0).cap));
  }

  // Every live CNode (retype-born and not destroyed) plus the root.
  std::vector<CNode> live_cnodes() {
    std::vector<CNode> out{w.root};
    for (const auto& [key, radix] : live_cnode_radix_) {
      Capability c;
      c.type = ObjectType::CNode;
      c.object = key;
      c.size_bits = static_cast<uint8_t>(radix);
      out.push_back(CNode::from_cap(c, w.memory));
    }
    return out;
  }
  bool is_live_occupied_slot(const Slot* p, const std::vector<CNode>& cnodes) {
    for (const CNode& cn : cnodes) {
      const Slot* first = cn.slot(0);
      if (p >= first && p < first + cn.slot_count()) return !p->empty();
    }
    return false;
  }
  void absorb_hook() {
    for (; seen_ < w.hook.destroyed.size(); ++seen_) {
      const Capability& c = w.hook.destroyed[seen_];
      const Key key = key_of(c);
      ASSERT_GE(live_.count(key), 1u) << "destroyed twice or never created: type "
                                      << static_cast<int>(c.type) << " at " << std::hex << c.object;
      live_.erase(live_.find(key));
      if (c.type == ObjectType::CNode) live_cnode_radix_.erase(c.object);
    }
  }
  void check_links() {
    const std::vector<CNode> cnodes = live_cnodes();
    for (const CNode& cn : cnodes) {
      expect_links_consistent(cn);
      for (uint64_t i = 0; i < cn.slot_count(); ++i) {
        const Slot* s = cn.slot(i);
        if (s->empty()) continue;
        for (const Slot* p : {s->parent, s->first_child, s->prev_sibling, s->next_sibling}) {
          if (p != nullptr) {
            ASSERT_TRUE(is_live_occupied_slot(p, cnodes)) << "dangling CDT link";
          }
        }
        if (s->cap.type != ObjectType::Untyped && s->cap.type != ObjectType::IrqControl) {
          ASSERT_EQ(live_.count(key_of(s->cap)), 1u) << "cap to a dead object";
        }
      }
    }
  }
  SlotRef any_slot(std::mt19937_64& rng) {
    const std::vector<CNode> cnodes = live_cnodes();
    const CNode cn = cnodes[std::uniform_int_distribution<size_t>(0, cnodes.size() - 1)(rng)];
    return SlotRef{
        cn, std::uniform_int_distribution<uint64_t>(0, cn.slot_count())(rng)};  // may be 1 past
  }

  CapWorld w;
  std::multiset<Key> live_;
  std::map<uint64_t, unsigned> live_cnode_radix_;
  size_t seen_ = 0;
};

TEST_F(CapCoreCascadeFuzz, RandomOpsAcrossNestedCNodesKeepLinksAndLifetimesSound) {
  std::mt19937_64 rng(20261122);
  auto pick = [&](uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng); };
  int successes = 0, cnode_destroys = 0;
  for (int step = 0; step < 10000; ++step) {
    SCOPED_TRACE(step);
    SlotRef a = any_slot(rng);
    const SlotRef b = any_slot(rng);
    CapStatus st = CapStatus::Ok;
    uint64_t op = pick(7);
    // Keep the boot untyped alive and in the root CNode (deleting it, or moving it into a CNode
    // that a cascade destroys, would end retyping); revoke it now and then instead.
    const Slot* as = a.cnode.slot(a.index);
    if (as != nullptr && as->cap.type == ObjectType::Untyped && as->parent == nullptr &&
        (op >= 3 && op <= 5))
      op = pick(4) == 0 ? 6 : 2;
    if (op <= 1 && pick(2) == 0) a = w.at(0);
    switch (op) {
      case 0:
      case 1: {
        const ObjectType t =
            pick(2) ? ObjectType::CNode : (pick(2) ? ObjectType::Endpoint : ObjectType::Untyped);
        const unsigned ub = t == ObjectType::CNode ? static_cast<unsigned>(1 + pick(3))
                                                   : static_cast<unsigned>(7 + pick(5));
        const RetypeRequest req{t, ub, b.cnode, b.index, 1 + pick(2)};
        st = retype(w.ctx, a, req);
        if (st == CapStatus::Ok) {
          for (uint64_t i = 0; i < req.count; ++i) {
            const Capability& c = req.dest.slot(req.dest_index + i)->cap;
            live_.insert(key_of(c));
            if (t == ObjectType::CNode) live_cnode_radix_[c.object] = ub;
          }
        }
        break;
      }
      case 2: st = cap_copy(a, b, static_cast<uint8_t>(pick(16))); break;
      case 3: st = cap_move(a, b); break;
      case 4:
      case 5: st = cap_delete(w.ctx, a); break;
      case 6: st = cap_revoke(w.ctx, a); break;
    }
    successes += st == CapStatus::Ok;
    const size_t cnodes_before = live_cnode_radix_.size();
    absorb_hook();
    cnode_destroys += static_cast<int>(cnodes_before - live_cnode_radix_.size());
    check_links();
    if (HasFatalFailure() || HasFailure()) return;
  }
  EXPECT_GT(successes, 1500);
  EXPECT_GT(cnode_destroys, 100);
  // Whatever survived (including CNodes only reachable from themselves) goes with the untyped.
  if (!w.slot(0).empty() && w.slot(0).cap.type == ObjectType::Untyped) {
    ASSERT_EQ(cap_revoke(w.ctx, w.at(0)), CapStatus::Ok);
    absorb_hook();
    EXPECT_EQ(live_.size(), 1u) << live_.size() - 1 << " objects leaked";
    EXPECT_EQ(w.slot(0).cap.watermark(), 0u);
    EXPECT_EQ(w.retype(0, ObjectType::Untyped, 20, 1, 1), CapStatus::Ok);
  }
  std::printf("cascade fuzz: %d successful ops, %d CNodes destroyed\n", successes, cnode_destroys);
}

}  // namespace
}  // namespace kernel::object::test
