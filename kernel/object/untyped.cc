// Retype: validation first (seL4's decode), then creation (perform) that cannot fail.
#include "object/untyped.h"

#include "object/cdt.h"

namespace kernel::object {

namespace {

uint64_t align_up(uint64_t value, unsigned bits) {
  const uint64_t mask = (uint64_t{1} << bits) - 1;
  return (value + mask) & ~mask;
}

}  // namespace

uint64_t untyped_free_bytes(const Capability& cap) {
  if (cap.type != ObjectType::Untyped) return 0;
  return (uint64_t{1} << cap.size_bits) - cap.watermark();
}

Capability make_untyped_cap(uint64_t phys, unsigned size_bits) {
  Capability cap;
  cap.type = ObjectType::Untyped;
  cap.rights = Rights::all();
  cap.size_bits = static_cast<uint8_t>(size_bits);
  cap.original = 1;
  cap.object = phys;
  return cap;
}

CapStatus retype_check(const SlotRef& untyped, const RetypeRequest& request, RetypePlan* plan) {
  Slot* src = untyped.cnode.slot(untyped.index);
  if (src == nullptr) return CapStatus::InvalidSlot;
  if (src->empty()) return CapStatus::SlotEmpty;
  if (src->cap.type != ObjectType::Untyped) return CapStatus::WrongType;
  if (!is_retypable(request.type)) return CapStatus::InvalidType;
  const unsigned bits = object_size_bits(request.type, request.user_bits);
  if (bits == 0 || bits > src->cap.size_bits) return CapStatus::InvalidSize;
  if (request.count == 0 || request.count > kMaxRetypeCount) return CapStatus::InvalidCount;

  // Destination range: in bounds (written to avoid overflow of index + count) and all empty.
  const uint64_t slots = request.dest.slot_count();
  if (!request.dest.valid() || request.dest_index >= slots ||
      request.count > slots - request.dest_index)
    return CapStatus::InvalidSlot;
  for (uint64_t i = 0; i < request.count; ++i) {
    if (!request.dest.slot(request.dest_index + i)->empty()) return CapStatus::SlotOccupied;
  }

  // Memory: bits <= size_bits <= 47 and count <= 256, so none of this can overflow.
  const uint64_t size = uint64_t{1} << src->cap.size_bits;
  const uint64_t first = align_up(src->cap.watermark(), bits);
  const uint64_t needed = request.count << bits;
  if (first > size || needed > size - first) return CapStatus::NotEnoughMemory;

  plan->untyped = src;
  plan->first_offset = first;
  plan->object_bits = bits;
  return CapStatus::Ok;
}

void retype_perform(ObjectContext& ctx, const RetypeRequest& request, const RetypePlan& plan) {
  Slot* src = plan.untyped;
  const uint64_t object_size = uint64_t{1} << plan.object_bits;
  for (uint64_t i = 0; i < request.count; ++i) {
    const uint64_t phys = src->cap.object + plan.first_offset + i * object_size;
    // Zeroed memory is a valid initial state for every type: a zeroed CNode is all empty slots.
    ctx.memory->zero(phys, object_size);
    Slot* dst = request.dest.slot(request.dest_index + i);
    Capability cap;
    cap.type = request.type;
    cap.rights = Rights::all();
    cap.original = 1;
    cap.object = phys;
    if (request.type == ObjectType::Untyped || request.type == ObjectType::CNode)
      cap.size_bits = static_cast<uint8_t>(request.user_bits);
    dst->cap = cap;
    cdt_insert_child(src, dst);
  }
  src->cap.word0 = plan.first_offset + request.count * object_size;
}

CapStatus retype(ObjectContext& ctx, const SlotRef& untyped, const RetypeRequest& request) {
  RetypePlan plan;
  const CapStatus status = retype_check(untyped, request, &plan);
  if (status != CapStatus::Ok) return status;
  retype_perform(ctx, request, plan);
  return CapStatus::Ok;
}

}  // namespace kernel::object
