// Randomized property test: thousands of capability operations against a simple reference model.
#include <map>
#include <optional>
#include <random>
#include <set>
#include <tuple>

#include "cap_test_support.h"

namespace kernel::object::test {
namespace {

constexpr uint64_t kSlots = 64;

// The reference model: a flat table of caps with parent indices and a list of objects. It knows
// nothing about sibling order, runs or intrusive links; it states the rules directly.
struct MCap {
  ObjectType type;
  uint8_t rights;
  uint64_t badge;
  int obj;
  int parent;  // slot index or -1
  bool original;
};
struct MObj {
  ObjectType type;
  uint64_t phys;
  unsigned bits;       // log2 size in memory (0 for IrqControl / IoPort)
  unsigned user_bits;  // untyped size / CNode radix as stored in the cap
  uint64_t watermark = 0;
  uint64_t word0 = 0, word1 = 0;  // IoPort range
  bool live = true;
};

// Sizes written out independently of object_size_bits so a wrong table entry fails here.
unsigned model_bits(ObjectType t, unsigned user_bits) {
  switch (t) {
    case ObjectType::Untyped: return user_bits >= 5 && user_bits <= 47 ? user_bits : 0;
    case ObjectType::CNode: return user_bits >= 1 && user_bits <= 20 ? user_bits + 6 : 0;
    case ObjectType::Tcb: return 14;
    case ObjectType::Endpoint: return 5;
    case ObjectType::Notification: return 6;
    case ObjectType::Reply: return 5;
    case ObjectType::VSpace:
    case ObjectType::Pdpt:
    case ObjectType::PageDirectory:
    case ObjectType::PageTable:
    case ObjectType::Frame4K: return 12;
    case ObjectType::Frame2M: return 21;
    default: return 0;
  }
}
bool model_retypable(ObjectType t) {
  const auto v = static_cast<unsigned>(t);
  return v >= 1 && v <= 12;
}

struct Model {
  std::optional<MCap> slots[kSlots];
  std::vector<MObj> objs;
  std::vector<int> destroyed_this_step;

  bool has_children(int s) const {
    for (const auto& c : slots)
      if (c && c->parent == s) return true;
    return false;
  }
  int cap_count(int obj) const {
    int n = 0;
    for (const auto& c : slots) n += (c && c->obj == obj) ? 1 : 0;
    return n;
  }
  void remove(int s) {
    const MCap cap = *slots[s];
    for (auto& c : slots)
      if (c && c->parent == s) c->parent = cap.parent;
    slots[s].reset();
    if (cap.parent >= 0 && slots[cap.parent]->type == ObjectType::Untyped &&
        !has_children(cap.parent))
      objs[slots[cap.parent]->obj].watermark = 0;
    if (cap_count(cap.obj) == 0) {
      objs[cap.obj].live = false;
      destroyed_this_step.push_back(cap.obj);
    }
  }
  bool is_descendant(int s, int root) const {
    for (int p = slots[s]->parent; p >= 0; p = slots[p]->parent)
      if (p == root) return true;
    return false;
  }
};

bool in_range(uint64_t i, bool cnode_ok) { return cnode_ok && i < kSlots; }

class CapCoreModel : public ::testing::Test {
 protected:
  CapCoreModel() : w(6) {
    w.install_untyped(0, 0, 22);
    add_root_untyped(0, 22);
    w.install_untyped(1, 1 << 22, 21);
    add_root_untyped(1, 21);
    Capability irq{ObjectType::IrqControl, Rights::all()};
    EXPECT_EQ(cap_install_root(w.at(2), irq), CapStatus::Ok);
    m.objs.push_back(MObj{ObjectType::IrqControl, 0, 0, 0});
    m.slots[2] = MCap{ObjectType::IrqControl, mu::kRightsAll, 0, 1 + 1, -1, true};
    Capability io{ObjectType::IoPort, Rights::all()};
    io.word0 = 0x3F8;
    io.word1 = 0x3FF;
    EXPECT_EQ(cap_install_root(w.at(3), io), CapStatus::Ok);
    m.objs.push_back(MObj{ObjectType::IoPort, 0, 0, 0, 0, 0x3F8, 0x3FF});
    m.slots[3] = MCap{ObjectType::IoPort, mu::kRightsAll, 0, 3, -1, true};
  }
  void add_root_untyped(int slot, unsigned bits) {
    m.objs.push_back(MObj{ObjectType::Untyped, w.slot(slot).cap.object, bits, bits});
    m.slots[slot] =
        MCap{ObjectType::Untyped, mu::kRightsAll, 0, static_cast<int>(m.objs.size() - 1), -1, true};
  }

  // ---- model operations: same validation order as documented in cap_ops.h / untyped.h ----
  CapStatus model_mint(uint64_t s, uint64_t d, bool cn_ok, uint8_t mask, uint64_t badge) {
    if (!in_range(s, cn_ok) || !in_range(d, cn_ok)) return CapStatus::InvalidSlot;
    if (!m.slots[s]) return CapStatus::SlotEmpty;
    if (m.slots[d]) return CapStatus::SlotOccupied;
    if (mask & ~mu::kRightsAll) return CapStatus::InvalidArgument;
    const MCap src = *m.slots[s];
    if (src.type == ObjectType::Untyped || src.type == ObjectType::Reply)
      return CapStatus::IllegalOperation;
    if (badge != 0) {
      if (src.type != ObjectType::Endpoint && src.type != ObjectType::Notification)
        return CapStatus::WrongType;
      if (src.badge != 0) return CapStatus::AlreadyBadged;
    }
    m.slots[d] = MCap{src.type,
                      static_cast<uint8_t>(src.rights & mask),
                      badge ? badge : src.badge,
                      src.obj,
                      static_cast<int>(s),
                      false};
    return CapStatus::Ok;
  }
  CapStatus model_move(uint64_t s, uint64_t d, bool cn_ok) {
    if (!in_range(s, cn_ok) || !in_range(d, cn_ok)) return CapStatus::InvalidSlot;
    if (!m.slots[s]) return CapStatus::SlotEmpty;
    if (m.slots[d]) return CapStatus::SlotOccupied;
    m.slots[d] = m.slots[s];
    m.slots[s].reset();
    for (auto& c : m.slots)
      if (c && c->parent == static_cast<int>(s)) c->parent = static_cast<int>(d);
    return CapStatus::Ok;
  }
  CapStatus model_delete(uint64_t s, bool cn_ok) {
    if (!in_range(s, cn_ok)) return CapStatus::InvalidSlot;
    if (!m.slots[s]) return CapStatus::SlotEmpty;
    m.remove(static_cast<int>(s));
    return CapStatus::Ok;
  }
  CapStatus model_revoke(uint64_t s, bool cn_ok) {
    if (!in_range(s, cn_ok)) return CapStatus::InvalidSlot;
    if (!m.slots[s]) return CapStatus::SlotEmpty;
    for (bool again = true; again;) {
      again = false;
      for (int i = 0; i < static_cast<int>(kSlots); ++i) {
        if (m.slots[i] && m.is_descendant(i, static_cast<int>(s)) && !m.has_children(i)) {
          m.remove(i);
          again = true;
        }
      }
    }
    return CapStatus::Ok;
  }
  CapStatus model_retype(uint64_t u, ObjectType type, unsigned ub, uint64_t dest, uint64_t count,
                         bool cn_ok) {
    if (!in_range(u, true)) return CapStatus::InvalidSlot;
    if (!m.slots[u]) return CapStatus::SlotEmpty;
    if (m.slots[u]->type != ObjectType::Untyped) return CapStatus::WrongType;
    if (!model_retypable(type)) return CapStatus::InvalidType;
    MObj& ut = m.objs[m.slots[u]->obj];
    const unsigned bits = model_bits(type, ub);
    if (bits == 0 || bits > ut.bits) return CapStatus::InvalidSize;
    if (count == 0 || count > 256) return CapStatus::InvalidCount;
    if (!cn_ok || dest >= kSlots || count > kSlots - dest) return CapStatus::InvalidSlot;
    for (uint64_t i = 0; i < count; ++i)
      if (m.slots[dest + i]) return CapStatus::SlotOccupied;
    const uint64_t size = uint64_t{1} << bits;
    const uint64_t first = (ut.watermark + size - 1) / size * size;
    if (first + count * size > (uint64_t{1} << ut.bits)) return CapStatus::NotEnoughMemory;
    const uint64_t base = ut.phys;
    for (uint64_t i = 0; i < count; ++i) {
      m.objs.push_back(MObj{type, base + first + i * size, bits, ub});
      m.slots[dest + i] = MCap{
          type, mu::kRightsAll, 0, static_cast<int>(m.objs.size() - 1), static_cast<int>(u), true};
    }
    m.objs[m.slots[u]->obj].watermark = first + count * size;
    return CapStatus::Ok;
  }

  // ---- the invariants, checked after every step ----
  void check_state(const char* op, int step) {
    SCOPED_TRACE(::testing::Message() << "step " << step << " (" << op << ")");
    for (uint64_t i = 0; i < kSlots; ++i) {
      const Slot& s = w.slot(i);
      ASSERT_EQ(s.empty(), !m.slots[i].has_value()) << "slot " << i;
      if (s.empty()) continue;
      const MCap& mc = *m.slots[i];
      const MObj& mo = m.objs[mc.obj];
      ASSERT_EQ(s.cap.type, mc.type) << i;
      ASSERT_EQ(s.cap.rights.bits(), mc.rights) << i;
      ASSERT_EQ(s.cap.object, mo.phys) << i;
      ASSERT_EQ(s.cap.original != 0, mc.original) << i;
      ASSERT_TRUE(mo.live) << i;
      const int parent = s.parent == nullptr ? -1 : static_cast<int>(w.index_of(s.parent));
      ASSERT_EQ(parent, mc.parent) << "CDT parent of slot " << i;
      if (mc.type == ObjectType::Endpoint || mc.type == ObjectType::Notification) {
        ASSERT_EQ(s.cap.badge(), mc.badge) << i;
      }
      if (mc.type == ObjectType::Untyped) {
        ASSERT_EQ(s.cap.size_bits, mo.bits) << i;
        ASSERT_EQ(s.cap.watermark(), mo.watermark) << i;
        if (s.first_child == nullptr) {
          ASSERT_EQ(s.cap.watermark(), 0u) << "childless untyped keeps memory";
        }
      }
      if (mc.type == ObjectType::CNode) {
        ASSERT_EQ(s.cap.size_bits, mo.user_bits) << i;
      }
      if (mc.type == ObjectType::IoPort) {
        ASSERT_EQ(std::tie(s.cap.word0, s.cap.word1), std::tie(mo.word0, mo.word1));
      }
      // Rights never exceed the parent's when the parent names the same object.
      if (s.parent != nullptr && !s.cap.original && same_object(s.parent->cap, s.cap)) {
        ASSERT_TRUE(s.cap.rights.subset_of(s.parent->cap.rights)) << i;
      }
      // is_last agrees with counting.
      ASSERT_EQ(cdt_is_last(&s), mc.type == ObjectType::Untyped || m.cap_count(mc.obj) == 1) << i;
    }
    expect_links_consistent(w.root);
    ASSERT_FALSE(::testing::Test::HasFailure());

    // Destroy hook: exactly the objects the model saw lose their last cap, each once.
    std::multiset<std::pair<int, uint64_t>> expected, got;
    for (int o : m.destroyed_this_step)
      expected.insert({static_cast<int>(m.objs[o].type), m.objs[o].phys});
    for (size_t i = hook_seen_; i < w.hook.destroyed.size(); ++i)
      got.insert({static_cast<int>(w.hook.destroyed[i].type), w.hook.destroyed[i].object});
    ASSERT_EQ(got, expected);
    hook_seen_ = w.hook.destroyed.size();
    m.destroyed_this_step.clear();

    // Memory: live objects never overlap unless an untyped contains the other, and each lies below
    // the watermark of its nearest untyped ancestor.
    std::vector<int> live;
    for (size_t o = 0; o < m.objs.size(); ++o)
      if (m.objs[o].live && m.objs[o].bits != 0) live.push_back(static_cast<int>(o));
    for (size_t a = 0; a < live.size(); ++a) {
      const MObj& A = m.objs[live[a]];
      for (size_t b = a + 1; b < live.size(); ++b) {
        const MObj& B = m.objs[live[b]];
        const uint64_t ae = A.phys + (uint64_t{1} << A.bits), be = B.phys + (uint64_t{1} << B.bits);
        const bool disjoint = ae <= B.phys || be <= A.phys;
        const bool a_holds_b = A.type == ObjectType::Untyped && A.phys <= B.phys && be <= ae;
        const bool b_holds_a = B.type == ObjectType::Untyped && B.phys <= A.phys && ae <= be;
        ASSERT_TRUE(disjoint || a_holds_b || b_holds_a)
            << "objects " << live[a] << " and " << live[b] << " overlap";
      }
    }
    for (uint64_t i = 0; i < kSlots; ++i) {
      const Slot& s = w.slot(i);
      if (s.empty() || s.cap.object == 0) continue;
      const Slot* u = cdt_untyped_ancestor(&s);
      if (u == nullptr) continue;
      const uint64_t size = uint64_t{1} << object_size_bits(s.cap.type, s.cap.size_bits);
      ASSERT_GE(s.cap.object, u->cap.object) << i;
      ASSERT_LE(s.cap.object + size, u->cap.object + u->cap.watermark())
          << "slot " << i << " above watermark";
    }
    // Live object count: the model's live objects are exactly those the impl's caps name.
    std::set<std::tuple<int, uint64_t, uint64_t>> named;
    for (uint64_t i = 0; i < kSlots; ++i)
      // Untyped caps are unique, so each names its own object even when a full-size child
      // untyped has the same base and size as its parent.
      if (!w.slot(i).empty())
        named.insert({static_cast<int>(w.slot(i).cap.type), w.slot(i).cap.object,
                      w.slot(i).cap.type == ObjectType::Untyped ? i : 0});
    size_t live_all = 0;
    for (const MObj& o : m.objs) live_all += o.live ? 1 : 0;
    ASSERT_EQ(named.size(), live_all);
  }

  CapWorld w;
  Model m;
  size_t hook_seen_ = 0;
};

TEST_F(CapCoreModel, RandomOperationsMatchTheModel) {
  std::mt19937_64 rng(0x5EED'CAFE);
  auto pick = [&](uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng); };
  // Slots: mostly in range, biased towards occupied (sources) or empty (destinations) slots so
  // that operations succeed often enough, with a steady share of every kind of bad slot.
  auto slot_where = [&](auto wanted) -> uint64_t {
    const uint64_t r = pick(100);
    if (r < 6) return kSlots + pick(8);
    if (r < 8) return ~uint64_t{0} - pick(4);
    if (r < 30) return pick(kSlots);
    std::vector<uint64_t> matching;
    for (uint64_t i = 0; i < kSlots; ++i)
      if (wanted(i)) matching.push_back(i);
    return matching.empty() ? pick(kSlots) : matching[pick(matching.size())];
  };
  auto full = [&]() { return slot_where([&](uint64_t i) { return !w.slot(i).empty(); }); };
  auto empty = [&]() { return slot_where([&](uint64_t i) { return w.slot(i).empty(); }); };
  auto untyped = [&]() {
    return slot_where([&](uint64_t i) { return w.slot(i).cap.type == ObjectType::Untyped; });
  };
  const ObjectType kTypes[] = {
      ObjectType::Untyped,      ObjectType::Untyped,       ObjectType::CNode,
      ObjectType::Tcb,          ObjectType::Endpoint,      ObjectType::Endpoint,
      ObjectType::Notification, ObjectType::Reply,         ObjectType::VSpace,
      ObjectType::Pdpt,         ObjectType::PageDirectory, ObjectType::PageTable,
      ObjectType::Frame4K,      ObjectType::Frame2M,       ObjectType::Null,
      ObjectType::IrqControl,   ObjectType::IoPort,        static_cast<ObjectType>(42)};
  int ok_count[6] = {};
  constexpr int kSteps = 20000;
  for (int step = 0; step < kSteps; ++step) {
    const bool cn_ok = pick(50) != 0;
    const CNode cn = cn_ok ? w.root : CNode();
    int op = static_cast<int>(pick(6));
    uint64_t a = op == 0 ? untyped() : full();
    const uint64_t b = empty();
    // Deleting a boot untyped would end all retyping for the rest of the run (its memory cannot
    // be handed out again); revoke it instead, which the test also does on purpose.
    if (op == 4 && a < kSlots && w.slot(a).cap.type == ObjectType::Untyped &&
        w.slot(a).parent == nullptr)
      op = 5;
    CapStatus got = CapStatus::Ok, want = CapStatus::Ok;
    const char* name = "";
    switch (op) {
      case 0: {
        name = "retype";
        const ObjectType t = kTypes[pick(std::size(kTypes))];
        const unsigned ub = static_cast<unsigned>(pick(100) < 80 ? 1 + pick(14) : pick(25));
        const uint64_t count = pick(20) == 0 ? 250 + pick(10) : pick(5);
        // The untyped slot is always addressed through the valid root; the destination may not be.
        got = retype(w.ctx, w.at(a), RetypeRequest{t, ub, cn, b, count});
        want = model_retype(a, t, ub, b, count, cn_ok);
        break;
      }
      case 1:
      case 2: {
        name = op == 1 ? "copy" : "mint";
        const uint8_t mask = static_cast<uint8_t>(pick(20) == 0 ? pick(256) : pick(16));
        const uint64_t badge = op == 2 && pick(2) ? 1 + pick(1000) : 0;
        got = op == 1 ? cap_copy(SlotRef{cn, a}, SlotRef{cn, b}, mask)
                      : cap_mint(SlotRef{cn, a}, SlotRef{cn, b}, mask, badge);
        want = model_mint(a, b, cn_ok, mask, badge);
        break;
      }
      case 3:
        name = "move";
        got = cap_move(SlotRef{cn, a}, SlotRef{cn, b});
        want = model_move(a, b, cn_ok);
        break;
      case 4:
        name = "delete";
        got = cap_delete(w.ctx, SlotRef{cn, a});
        want = model_delete(a, cn_ok);
        break;
      case 5:
        name = pick(10) == 0 ? "revoke-root" : "revoke";
        if (pick(10) == 0) a = 0;  // occasionally revoke a whole root untyped
        got = cap_revoke(w.ctx, SlotRef{cn, a});
        want = model_revoke(a, cn_ok);
        if (got == CapStatus::Ok) {
          ASSERT_EQ(w.slot(a).first_child, nullptr) << "revoke left a descendant";
        }
        break;
    }
    ASSERT_EQ(got, want) << "step " << step << " op " << name << " a=" << a << " b=" << b;
    if (got == CapStatus::Ok) ++ok_count[op];
    check_state(name, step);
    if (HasFatalFailure()) return;
  }
  // The run must have exercised every operation, not just its error paths.
  for (int op = 0; op < 6; ++op) {
    EXPECT_GT(ok_count[op], 200) << "op " << op;
  }

  // Tear down: revoke and delete everything; every object is destroyed exactly once and both
  // untypeds can be retyped at full size again.
  for (uint64_t i = 0; i < kSlots; ++i)
    if (!w.slot(i).empty() && w.slot(i).cap.type == ObjectType::Untyped &&
        w.slot(i).parent == nullptr) {
      ASSERT_EQ(cap_revoke(w.ctx, w.at(i)), CapStatus::Ok);
      ASSERT_EQ(model_revoke(i, true), CapStatus::Ok);
    }
  check_state("teardown", kSteps);
  std::map<std::pair<int, uint64_t>, int> per_object;
  for (const Capability& c : w.hook.destroyed) ++per_object[{static_cast<int>(c.type), c.object}];
  size_t dead_memory_objects = 0;
  for (const MObj& o : m.objs) dead_memory_objects += (!o.live && o.bits != 0) ? 1 : 0;
  size_t hooked_memory = 0;
  for (const Capability& c : w.hook.destroyed) hooked_memory += c.object != 0 ? 1 : 0;
  EXPECT_EQ(hooked_memory, dead_memory_objects);
  for (int root : {0, 1}) {
    if (w.slot(root).empty() || w.slot(root).cap.type != ObjectType::Untyped) continue;
    EXPECT_EQ(w.slot(root).cap.watermark(), 0u);
  }
  std::printf(
      "model test: %d retype, %d copy, %d mint, %d move, %d delete, %d revoke succeeded; "
      "%zu objects destroyed\n",
      ok_count[0], ok_count[1], ok_count[2], ok_count[3], ok_count[4], ok_count[5],
      w.hook.destroyed.size());
}

}  // namespace
}  // namespace kernel::object::test
