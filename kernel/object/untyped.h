// Retype: carving naturally aligned objects out of untyped memory below a watermark.
#pragma once

#include <stdint.h>

#include "object/capability.h"
#include "object/cnode.h"

namespace kernel::object {

// A slot named by the caller: a CNode and an index that has not been range-checked yet.
struct SlotRef {
  CNode cnode;
  uint64_t index = 0;
};

// One retype call: `count` objects of `type` into the consecutive slots dest_index ... of `dest`.
// `user_bits` is log2 of the size for Untyped and the radix (log2 slot count) for CNode.
struct RetypeRequest {
  ObjectType type = ObjectType::Null;
  unsigned user_bits = 0;
  CNode dest;
  uint64_t dest_index = 0;
  uint64_t count = 0;
};

// What a successful check decided, so perform does no second guessing.
struct RetypePlan {
  Slot* untyped = nullptr;
  uint64_t first_offset = 0;  // offset of the first object from the untyped's base
  unsigned object_bits = 0;
};

// Checks everything and changes nothing: the untyped slot, type, size, count, destination range
// and free memory, in that order (the first failure is reported).
[[nodiscard]] CapStatus retype_check(const SlotRef& untyped, const RetypeRequest& request,
                                     RetypePlan* plan);

// Creates the objects a successful retype_check planned: zeroes their memory, writes one original
// capability per object (all rights, no badge) as children of the untyped, advances the watermark.
// Precondition: retype_check returned Ok for the same arguments and nothing changed since.
void retype_perform(ObjectContext& ctx, const RetypeRequest& request, const RetypePlan& plan);

// Check, then perform.
[[nodiscard]] CapStatus retype(ObjectContext& ctx, const SlotRef& untyped,
                               const RetypeRequest& request);

// Free bytes left above the watermark of an untyped cap (0 for any other cap).
[[nodiscard]] uint64_t untyped_free_bytes(const Capability& cap);

// A boot-time untyped capability over [phys, phys + 2^size_bits). phys must be aligned.
[[nodiscard]] Capability make_untyped_cap(uint64_t phys, unsigned size_bits);

}  // namespace kernel::object
