// Capability operations: validate every argument, then act (seL4's decode/perform split).
#include "object/cap_ops.h"

#include "object/cdt.h"
#include "object/cnode.h"

namespace kernel::object {

namespace {

// Destroying a CNode (or a TCB, which holds slots too) means deleting every cap inside it, which
// can destroy further such objects. To keep the kernel stack flat, objects waiting to be emptied
// form a LIFO list threaded through the slots that held their last caps: that slot is empty (type
// Null) by then, so scans skip it, and its spare words hold the object and the link. Nothing
// retypes during a cascade, so memory of an already-destroyed CNode (where such a marker may sit)
// is not reused before the list is drained.
struct PendingList {
  Slot* head = nullptr;
};

void push_pending(PendingList* list, Slot* marker, const Capability& owner_cap) {
  marker->cap = Capability{};
  marker->cap.object = owner_cap.object;
  marker->cap.size_bits = owner_cap.size_bits;
  marker->cap.reserved = static_cast<uint32_t>(owner_cap.type);  // type stays Null: scans skip it
  marker->cap.word0 = 0;                                         // next index to scan
  marker->cap.word1 = reinterpret_cast<uint64_t>(list->head);
  list->head = marker;
}

// The slots an object holds inside itself: a CNode's table, a TCB's own slots (capability.h).
CNode contained_slots(const Capability& cap, ObjectMemory* memory) {
  if (memory == nullptr) return CNode();
  if (cap.type == ObjectType::CNode) return CNode::from_cap(cap, *memory);
  if (cap.type == ObjectType::Tcb)
    return CNode(static_cast<Slot*>(memory->to_virtual(cap.object)), kTcbSlotRadix);
  return CNode();
}

void destroy(ObjectContext& ctx, const Capability& cap) {
  if (ctx.hook != nullptr) ctx.hook->destroy(cap);
}

// Removes one cap; pushes an object holding slots (a non-empty CNode or TCB) whose last cap it
// was instead of recursing.
void delete_one(ObjectContext& ctx, Slot* slot, PendingList* pending) {
  const bool last = cdt_is_last(slot);
  Slot* parent = slot->parent;
  const Capability cap = slot->cap;
  cdt_unlink(slot);
  slot->cap = Capability{};
  if (ctx.hook != nullptr) ctx.hook->deleted(cap);
  // Memory returns to an untyped as a whole, once nothing carved from it is left (seL4 resets on
  // the next retype instead; resetting here makes free space visible at once).
  if (parent != nullptr && parent->cap.type == ObjectType::Untyped &&
      parent->first_child == nullptr)
    parent->cap.word0 = 0;
  if (!last) return;
  const CNode inner = contained_slots(cap, ctx.memory);
  if (inner.valid() && !inner.is_empty()) {
    push_pending(pending, slot, cap);
    return;
  }
  destroy(ctx, cap);
}

void drain(ObjectContext& ctx, PendingList* pending) {
  while (pending->head != nullptr) {
    Slot* marker = pending->head;
    Capability owner_cap;
    owner_cap.type = static_cast<ObjectType>(marker->cap.reserved);
    owner_cap.object = marker->cap.object;
    owner_cap.size_bits = marker->cap.size_bits;
    const CNode cnode = contained_slots(owner_cap, ctx.memory);
    uint64_t i = marker->cap.word0;
    while (i < cnode.slot_count() && cnode.slot(i)->empty()) ++i;
    if (i < cnode.slot_count()) {
      marker->cap.word0 = i + 1;
      delete_one(ctx, cnode.slot(i), pending);  // may push above this marker
      continue;
    }
    pending->head = reinterpret_cast<Slot*>(marker->cap.word1);
    marker->cap = Capability{};
    destroy(ctx, owner_cap);
  }
}

bool is_mappable(ObjectType type) {
  return type == ObjectType::Frame4K || type == ObjectType::Frame2M || type == ObjectType::Pdpt ||
         type == ObjectType::PageDirectory || type == ObjectType::PageTable;
}

bool copyable(ObjectType type) {
  // Untyped caps stay unique so the watermark in the cap is the only record of the memory's use;
  // Reply caps are one-shot.
  return type != ObjectType::Untyped && type != ObjectType::Reply && type != ObjectType::Null;
}

CapStatus check_src_dst(const SlotRef& src, const SlotRef& dst, Slot** s, Slot** d) {
  *s = src.cnode.slot(src.index);
  *d = dst.cnode.slot(dst.index);
  if (*s == nullptr || *d == nullptr) return CapStatus::InvalidSlot;
  if ((*s)->empty()) return CapStatus::SlotEmpty;
  if (!(*d)->empty()) return CapStatus::SlotOccupied;
  return CapStatus::Ok;
}

}  // namespace

void delete_slot(ObjectContext& ctx, Slot* slot) {
  PendingList pending;
  delete_one(ctx, slot, &pending);
  drain(ctx, &pending);
}

CapStatus cap_mint(const SlotRef& src, const SlotRef& dst, uint8_t rights_mask, uint64_t badge) {
  Slot* s = nullptr;
  Slot* d = nullptr;
  const CapStatus status = check_src_dst(src, dst, &s, &d);
  if (status != CapStatus::Ok) return status;
  if ((rights_mask & ~mu::kRightsAll) != 0) return CapStatus::InvalidArgument;
  if (!copyable(s->cap.type)) return CapStatus::IllegalOperation;
  if (badge != 0) {
    if (s->cap.type != ObjectType::Endpoint && s->cap.type != ObjectType::Notification)
      return CapStatus::WrongType;
    if (s->cap.badge() != 0) return CapStatus::AlreadyBadged;
  }

  Capability cap = s->cap;
  cap.rights = cap.rights.masked(Rights::from_bits(rights_mask));
  cap.original = 0;
  if (badge != 0) cap.word0 = badge;
  // Frame and page-table caps record where they are mapped (object/vspace.h); a copy starts
  // unmapped, which is how one frame is mapped into several address spaces.
  if (is_mappable(cap.type)) cap.word0 = cap.word1 = 0;
  d->cap = cap;
  cdt_insert_child(s, d);
  return CapStatus::Ok;
}

CapStatus cap_copy(const SlotRef& src, const SlotRef& dst, uint8_t rights_mask) {
  return cap_mint(src, dst, rights_mask, 0);
}

CapStatus cap_move(const SlotRef& src, const SlotRef& dst) {
  Slot* s = nullptr;
  Slot* d = nullptr;
  const CapStatus status = check_src_dst(src, dst, &s, &d);
  if (status != CapStatus::Ok) return status;
  d->cap = s->cap;
  cdt_transfer(s, d);
  s->cap = Capability{};
  return CapStatus::Ok;
}

CapStatus cap_delete(ObjectContext& ctx, const SlotRef& ref) {
  Slot* slot = ref.cnode.slot(ref.index);
  if (slot == nullptr) return CapStatus::InvalidSlot;
  if (slot->empty()) return CapStatus::SlotEmpty;
  delete_slot(ctx, slot);
  return CapStatus::Ok;
}

CapStatus cap_revoke(ObjectContext& ctx, const SlotRef& ref) {
  Slot* slot = ref.cnode.slot(ref.index);
  if (slot == nullptr) return CapStatus::InvalidSlot;
  if (slot->empty()) return CapStatus::SlotEmpty;
  // Leaves first: no splicing, and each step is one bounded delete (a later preemption point).
  while (!slot->empty()) {
    Slot* leaf = cdt_leaf_descendant(slot);
    if (leaf == nullptr) break;
    delete_slot(ctx, leaf);
  }
  return CapStatus::Ok;
}

CapStatus cap_install_root(const SlotRef& dst, const Capability& cap) {
  Slot* d = dst.cnode.slot(dst.index);
  if (d == nullptr) return CapStatus::InvalidSlot;
  if (!d->empty()) return CapStatus::SlotOccupied;
  if (cap.is_null() || static_cast<unsigned>(cap.type) >= mu::kObjectTypeCount)
    return CapStatus::InvalidArgument;
  // A boot untyped must be a valid, aligned, unused block: retype's alignment and overflow
  // reasoning starts from these facts.
  if (cap.type == ObjectType::Untyped &&
      (cap.size_bits < kMinUntypedBits || cap.size_bits > kMaxUntypedBits ||
       (cap.object & ((uint64_t{1} << cap.size_bits) - 1)) != 0 || cap.watermark() != 0))
    return CapStatus::InvalidArgument;
  d->cap = cap;
  d->cap.original = 1;
  cdt_insert_child(nullptr, d);
  return CapStatus::Ok;
}

}  // namespace kernel::object
