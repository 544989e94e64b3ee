// Shared fixtures for the capability-core tests: simulated RAM, a recording destroy hook,
// snapshots.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "object/cap_ops.h"
#include "object/cdt.h"
#include "object/cnode.h"
#include "object/untyped.h"

namespace kernel::object::test {

// Physical memory [base, base + size) backed by a host buffer. Starts filled with 0xA5 so tests
// can tell zeroed object memory from untouched memory.
class SimMemory final : public ObjectMemory {
 public:
  SimMemory(uint64_t base, uint64_t size) : base_(base), bytes_(size, 0xA5) {}

  void* to_virtual(uint64_t phys) override {
    if (phys < base_ || phys - base_ >= bytes_.size()) {
      std::fprintf(stderr, "SimMemory: physical address %#llx outside RAM\n",
                   static_cast<unsigned long long>(phys));
      std::abort();
    }
    return bytes_.data() + (phys - base_);
  }
  void zero(uint64_t phys, uint64_t size) override {
    ASSERT_LE(size, bytes_.size());
    std::memset(to_virtual(phys), 0, size);
    ++zero_calls_;
  }

  uint64_t base() const { return base_; }
  uint64_t size() const { return bytes_.size(); }
  const std::vector<uint8_t>& bytes() const { return bytes_; }
  uint8_t byte_at(uint64_t phys) { return *static_cast<uint8_t*>(to_virtual(phys)); }
  int zero_calls() const { return zero_calls_; }

 private:
  uint64_t base_;
  std::vector<uint8_t> bytes_;
  int zero_calls_ = 0;
};

// Records every destroyed object.
class RecordingHook final : public DestroyHook {
 public:
  void destroy(const Capability& last_cap) override { destroyed.push_back(last_cap); }
  void deleted(const Capability& cap) override { deleted_caps.push_back(cap); }
  int count_for(ObjectType type, uint64_t object) const {
    int n = 0;
    for (const Capability& c : destroyed) n += (c.type == type && c.object == object) ? 1 : 0;
    return n;
  }
  std::vector<Capability> destroyed;
  std::vector<Capability> deleted_caps;  // every cap as it was deleted
};

// A root CNode in host memory (as the kernel's boot CNode would be), plus RAM and the hook.
struct CapWorld {
  static constexpr uint64_t kRamBase = 0x4000'0000;  // 1 GiB: aligned for every object size
  static constexpr unsigned kRamBits = 23;           // 8 MiB

  explicit CapWorld(unsigned root_radix = 6)
      : memory(kRamBase, uint64_t{1} << kRamBits),
        slots(size_t{1} << root_radix),
        root(slots.data(), root_radix),
        ctx{&memory, &hook} {}

  SlotRef at(uint64_t index) const { return SlotRef{root, index}; }
  Slot& slot(uint64_t index) { return slots.at(index); }
  uint64_t index_of(const Slot* s) const { return static_cast<uint64_t>(s - slots.data()); }
  bool in_root(const Slot* s) const { return s >= slots.data() && s < slots.data() + slots.size(); }

  // Installs an untyped over [kRamBase + offset, + 2^bits) into root slot `index`.
  void install_untyped(uint64_t index, uint64_t offset, unsigned bits) {
    ASSERT_EQ(cap_install_root(at(index), make_untyped_cap(kRamBase + offset, bits)),
              CapStatus::Ok);
  }
  CapStatus retype(uint64_t ut_index, ObjectType type, unsigned user_bits, uint64_t dest_index,
                   uint64_t count) {
    RetypeRequest req{type, user_bits, root, dest_index, count};
    return object::retype(ctx, at(ut_index), req);
  }

  SimMemory memory;
  RecordingHook hook;
  std::vector<Slot> slots;
  CNode root;
  ObjectContext ctx;
};

// Everything a failed operation must leave untouched.
struct Snapshot {
  explicit Snapshot(const CapWorld& w)
      : slot_bytes(reinterpret_cast<const uint8_t*>(w.slots.data()),
                   reinterpret_cast<const uint8_t*>(w.slots.data() + w.slots.size())),
        memory(w.memory.bytes()),
        destroyed(w.hook.destroyed.size()),
        zero_calls(w.memory.zero_calls()) {}
  bool operator==(const Snapshot&) const = default;

  std::vector<uint8_t> slot_bytes;
  std::vector<uint8_t> memory;
  size_t destroyed;
  int zero_calls;
};

// Checks the intrusive links of every slot in `cnode`: parents list their children, sibling links
// are mutual, empty slots are unlinked.
inline void expect_links_consistent(const CNode& cnode) {
  for (uint64_t i = 0; i < cnode.slot_count(); ++i) {
    const Slot* s = cnode.slot(i);
    if (s->empty()) {
      EXPECT_EQ(s->parent, nullptr) << i;
      EXPECT_EQ(s->first_child, nullptr) << i;
      EXPECT_EQ(s->next_sibling, nullptr) << i;
      EXPECT_EQ(s->prev_sibling, nullptr) << i;
      continue;
    }
    if (s->next_sibling != nullptr) {
      EXPECT_EQ(s->next_sibling->prev_sibling, s) << i;
    }
    if (s->prev_sibling != nullptr) {
      EXPECT_EQ(s->prev_sibling->next_sibling, s) << i;
    } else if (s->parent != nullptr) {
      EXPECT_EQ(s->parent->first_child, s) << i;
    }
    for (const Slot* c = s->first_child; c != nullptr; c = c->next_sibling) {
      EXPECT_EQ(c->parent, s);
    }
  }
}

}  // namespace kernel::object::test
