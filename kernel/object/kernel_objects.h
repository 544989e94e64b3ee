// The kernel's side of the object layer: physical memory through the direct map, the destroy
// dispatcher (one place that knows which module tears down which object type), retype's
// creation hooks, and capability lookup in the running thread's CSpace.
// Locking: as everywhere in the kernel, interrupts are off (the big kernel lock on one CPU).
#pragma once

#include <stdint.h>

#include "mu/syscall.h"
#include "object/cnode.h"
#include "object/untyped.h"
#include "sched/thread.h"

namespace kernel::object {

// ObjectMemory over the direct map, and the context every capability operation runs with.
[[nodiscard]] ObjectContext& kernel_context();
[[nodiscard]] ObjectMemory& kernel_memory();

// The kernel view of the object a capability names.
template <class T>
[[nodiscard]] T* object_ptr(const Capability& cap) {
  return static_cast<T*>(kernel_memory().to_virtual(cap.object));
}

// Retype through the kernel context, then the creation hooks of the new objects (TCB: an
// Inactive thread; VSpace: the kernel half copied in).
[[nodiscard]] CapStatus kernel_retype(const SlotRef& untyped, const RetypeRequest& request);

// The CSpace root of `thread` (invalid CNode when it has none: every lookup then fails).
[[nodiscard]] CNode cspace_root(sched::Thread* thread);

// Lookups in the running thread's CSpace. A CPtr is a slot index in the root CNode.
//   lookup_slot: InvalidSlot when the index is outside the root (or there is no root).
//   lookup_cap:  also SlotEmpty for an empty slot and WrongType for another type.
//   lookup_cnode: `cnode` is a CNode CPtr or mu::kSelfCNode (the root itself).
[[nodiscard]] mu::Status lookup_slot(uint64_t cptr, Slot** out);
[[nodiscard]] mu::Status lookup_cap(uint64_t cptr, ObjectType type, Slot** out);
[[nodiscard]] mu::Status lookup_cnode(uint64_t cnode, CNode* out);
// A slot reference (CNode argument + index) for the cap operations; index not checked yet.
[[nodiscard]] mu::Status lookup_slot_ref(uint64_t cnode, uint64_t index, SlotRef* out);

// For syscall handlers: a capability result as a syscall return value.
[[nodiscard]] inline int64_t status_result(CapStatus s) {
  return mu::status_value(mu::status_from(s));
}

}  // namespace kernel::object
