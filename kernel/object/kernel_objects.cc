// The kernel's object memory, destroy dispatcher, retype hooks and CSpace lookup.
#include "object/kernel_objects.h"

#include "ipc/ipc.h"
#include "mm/memory.h"
#include "object/irq_caps.h"
#include "object/tcb.h"
#include "object/vspace.h"
#include "sched/scheduler.h"

namespace kernel::object {
namespace {

class DirectMapMemory final : public ObjectMemory {
 public:
  void* to_virtual(uint64_t phys) override { return mm::phys_to_virt(phys); }
  void zero(uint64_t phys, uint64_t size) override {
    __builtin_memset(mm::phys_to_virt(phys), 0, size);
  }
};

// One place that knows which module tears down which object type.
class KernelDestroyHook final : public DestroyHook {
 public:
  void destroy(const Capability& cap) override {
    switch (cap.type) {
      case ObjectType::Tcb: tcb_destroyed(cap.object); break;
      case ObjectType::Endpoint: ipc::endpoint_destroyed(cap.object); break;
      case ObjectType::Notification: ipc::notification_destroyed(cap.object); break;
      case ObjectType::Reply: ipc::reply_destroyed(cap.object); break;
      case ObjectType::VSpace: vspace_destroyed(cap); break;
      case ObjectType::IrqHandler: irq_handler_destroyed(cap); break;
      default: break;  // untyped, CNode, page tables, frames, IRQControl, IoPort: nothing to undo
    }
  }
  void deleted(const Capability& cap) override {
    switch (cap.type) {
      case ObjectType::Frame4K:
      case ObjectType::Frame2M:
      case ObjectType::Pdpt:
      case ObjectType::PageDirectory:
      case ObjectType::PageTable: mapping_cap_deleted(cap); break;
      default: break;
    }
  }
};

DirectMapMemory g_memory;
KernelDestroyHook g_hook;
ObjectContext g_context{&g_memory, &g_hook};

}  // namespace

ObjectContext& kernel_context() { return g_context; }
ObjectMemory& kernel_memory() { return g_memory; }

CapStatus kernel_retype(const SlotRef& untyped, const RetypeRequest& request) {
  RetypePlan plan;
  const CapStatus status = retype_check(untyped, request, &plan);
  if (status != CapStatus::Ok) return status;
  if (request.type == ObjectType::VSpace && !vspace_asids_available(request.count))
    return CapStatus::NotEnoughMemory;
  retype_perform(g_context, request, plan);
  for (uint64_t i = 0; i < request.count; ++i) {
    Capability& cap = request.dest.slot(request.dest_index + i)->cap;
    if (cap.type == ObjectType::Tcb) tcb_created(cap.object);
    if (cap.type == ObjectType::VSpace) vspace_created(&cap);
  }
  return CapStatus::Ok;
}

CNode cspace_root(sched::Thread* thread) {
  if (thread == nullptr || thread->tcb == nullptr) return CNode();
  return CNode::from_cap(thread->tcb->slots[kTcbSlotCSpace].cap, g_memory);
}

mu::Status lookup_slot(uint64_t cptr, Slot** out) {
  Slot* slot = cspace_root(sched::current()).slot(cptr);
  if (slot == nullptr) return mu::Status::InvalidSlot;
  *out = slot;
  return mu::Status::Ok;
}

mu::Status lookup_cap(uint64_t cptr, ObjectType type, Slot** out) {
  Slot* slot = nullptr;
  if (lookup_slot(cptr, &slot) != mu::Status::Ok) return mu::Status::InvalidSlot;
  if (slot->empty()) return mu::Status::SlotEmpty;
  if (slot->cap.type != type) return mu::Status::WrongType;
  *out = slot;
  return mu::Status::Ok;
}

mu::Status lookup_cnode(uint64_t cnode, CNode* out) {
  if (cnode == mu::kSelfCNode) {
    *out = cspace_root(sched::current());
    return out->valid() ? mu::Status::Ok : mu::Status::InvalidSlot;
  }
  Slot* slot = nullptr;
  const mu::Status status = lookup_cap(cnode, ObjectType::CNode, &slot);
  if (status != mu::Status::Ok)
    return status == mu::Status::WrongType ? mu::Status::InvalidSlot : status;
  *out = CNode::from_cap(slot->cap, g_memory);
  return mu::Status::Ok;
}

mu::Status lookup_slot_ref(uint64_t cnode, uint64_t index, SlotRef* out) {
  const mu::Status status = lookup_cnode(cnode, &out->cnode);
  out->index = index;
  return status;
}

}  // namespace kernel::object
