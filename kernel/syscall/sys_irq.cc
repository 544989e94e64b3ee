// Interrupt and I/O-port calls: IrqControlGet, IrqHandlerSetNotification, IrqHandlerAck,
// IoPortIssue, TcbSetIoPorts. Kernel state and the semantics are in object/irq_caps.h.
//
// Every call checks all of its arguments, in the order listed, before it changes anything.
// "Lookup" errors of a capability argument: InvalidSlot (CPtr outside the CSpace root), SlotEmpty,
// WrongType (another type). A destination (cnode, index): InvalidSlot when `cnode` is neither
// kSelfCNode nor a CNode cap or `index` is outside that CNode, SlotEmpty when the `cnode` slot is
// empty, SlotOccupied when the destination slot holds a capability.
//
// IrqControlGet(irq_control, line, dst_cnode, dst_index) -> 0
//   irq_control: lookup errors (IrqControl); InsufficientRights without the write right.
//   line: InvalidArgument above 15 or when no IOAPIC serves it; Busy when the kernel uses the line
//     (ISA 0, the PIT; 2, the cascade; any line sharing their GSI) or a handler for it (or for a
//     line with the same GSI) exists.
//   destination: as above. NoMemory when no interrupt vector is left to route the line.
//   The handler is an original cap with irq_control's rights, a derivation-tree child of
//   irq_control (revoking IrqControl deletes it). Its line stays masked until a notification is
//   bound. Only ISA lines 0..15 for now; MSI and PCI GSIs are not issued yet.
// IrqHandlerSetNotification(handler, notification) -> 0
//   handler: lookup errors (IrqHandler); InsufficientRights without the write right.
//   notification: 0 unbinds; otherwise lookup errors (Notification) and InsufficientRights
//     without the write right. Replaces an earlier binding. The kernel keeps a copy of the cap,
//     so the binding survives deleting the caller's caps (not revoking them); its badge is what
//     an interrupt ORs into the notification word.
// IrqHandlerAck(handler) -> 0
//   handler: lookup errors (IrqHandler); InsufficientRights without the write right.
//   Unmasks the line if a notification is bound (an interrupt masks it until the ack).
// IoPortIssue(ioport, first, last, dst_cnode, dst_index) -> 0
//   ioport: lookup errors (IoPort); InsufficientRights without the write right.
//   first, last: InvalidArgument unless ioport.first <= first <= last <= ioport.last.
//   destination: as above. The new cap has ioport's rights and is its derivation-tree child.
// TcbSetIoPorts(tcb, ioport, index) -> 0
//   tcb: lookup errors (Tcb). ioport: 0 removes grant `index`, otherwise lookup errors (IoPort).
//   index: InvalidArgument above 2 (object::kTcbIoPortRanges grants per thread).
//   The TCB keeps a copy of the cap in slot kTcbSlotIoPort + index (replacing what was there);
//   the thread may use exactly the ports of its (up to three) grants from its next switch (at
//   once when it is the caller). Revoking the cap a copy came from removes that grant again and
//   leaves the others.
#include "arch/x86_64/io_bitmap.h"
#include "object/cap_ops.h"
#include "object/irq_caps.h"
#include "object/kernel_objects.h"
#include "object/tcb.h"
#include "sched/scheduler.h"
#include "syscall/syscall.h"

namespace kernel::syscall {
namespace {

using mu::Status;
using object::ObjectType;
using object::Slot;
using object::SlotRef;

int64_t result(Status s) { return mu::status_value(s); }

// A capability of `type` the call will write through: lookup errors, then the write right.
Status lookup_writable(uint64_t cptr, ObjectType type, Slot** out) {
  const Status status = object::lookup_cap(cptr, type, out);
  if (status != Status::Ok) return status;
  return (*out)->cap.rights.can_write() ? Status::Ok : Status::InsufficientRights;
}

// The empty slot a new capability goes into.
Status lookup_empty_slot(uint64_t cnode, uint64_t index, Slot** out) {
  SlotRef ref;
  const Status status = object::lookup_slot_ref(cnode, index, &ref);
  if (status != Status::Ok) return status;
  Slot* slot = ref.cnode.slot(ref.index);
  if (slot == nullptr) return Status::InvalidSlot;
  if (!slot->empty()) return Status::SlotOccupied;
  *out = slot;
  return Status::Ok;
}

// The caller's CSpace slot `cptr` as a slot reference for the capability operations.
SlotRef caller_ref(uint64_t cptr) { return SlotRef{object::cspace_root(sched::current()), cptr}; }

}  // namespace

int64_t sys_irq_control_get(const SyscallArgs& a) {
  object::irq_reap_unbound();
  Slot* control = nullptr;
  Status status = lookup_writable(a.a0, ObjectType::IrqControl, &control);
  if (status != Status::Ok) return result(status);
  status = object::irq_line_check(a.a1);
  if (status != Status::Ok) return result(status);
  Slot* dst = nullptr;
  status = lookup_empty_slot(a.a2, a.a3, &dst);
  if (status != Status::Ok) return result(status);
  return result(object::irq_issue_handler(control, a.a1, dst));
}

int64_t sys_irq_handler_set_notification(const SyscallArgs& a) {
  object::irq_reap_unbound();
  Slot* handler = nullptr;
  Status status = lookup_writable(a.a0, ObjectType::IrqHandler, &handler);
  if (status != Status::Ok) return result(status);
  if (a.a1 == 0) return result(object::irq_set_notification(handler->cap.word0, nullptr));
  Slot* ntfn = nullptr;
  status = lookup_writable(a.a1, ObjectType::Notification, &ntfn);
  if (status != Status::Ok) return result(status);
  const SlotRef ref = caller_ref(a.a1);
  return result(object::irq_set_notification(handler->cap.word0, &ref));
}

int64_t sys_irq_handler_ack(const SyscallArgs& a) {
  object::irq_reap_unbound();
  Slot* handler = nullptr;
  const Status status = lookup_writable(a.a0, ObjectType::IrqHandler, &handler);
  if (status != Status::Ok) return result(status);
  object::irq_ack(handler->cap.word0);
  return 0;
}

int64_t sys_io_port_issue(const SyscallArgs& a) {
  Slot* src = nullptr;
  Status status = lookup_writable(a.a0, ObjectType::IoPort, &src);
  if (status != Status::Ok) return result(status);
  if (a.a1 > a.a2 || a.a1 < src->cap.word0 || a.a2 > src->cap.word1)
    return result(Status::InvalidArgument);
  Slot* dst = nullptr;
  status = lookup_empty_slot(a.a3, a.a4, &dst);
  if (status != Status::Ok) return result(status);
  return result(object::io_port_issue(src, a.a1, a.a2, dst));
}

int64_t sys_tcb_set_io_ports(const SyscallArgs& a) {
  Slot* tcb_slot = nullptr;
  Status status = object::lookup_cap(a.a0, ObjectType::Tcb, &tcb_slot);
  if (status != Status::Ok) return result(status);
  if (a.a1 != 0) {
    Slot* ioport = nullptr;
    status = object::lookup_cap(a.a1, ObjectType::IoPort, &ioport);
    if (status != Status::Ok) return result(status);
  }
  if (a.a2 >= object::kTcbIoPortRanges) return result(Status::InvalidArgument);
  object::TcbObject* tcb = object::tcb_from_cap(tcb_slot->cap);
  const auto own_index = static_cast<unsigned>(object::kTcbSlotIoPort + a.a2);
  Slot* own = &tcb->slots[own_index];
  if (!own->empty()) object::delete_slot(object::kernel_context(), own);
  mu::CapStatus copied = mu::CapStatus::Ok;
  if (a.a1 != 0) {
    const SlotRef own_ref{object::CNode(tcb->slots, object::kTcbSlotRadix), own_index};
    copied = object::cap_copy(caller_ref(a.a1), own_ref, mu::kRightsAll);
    if (copied == mu::CapStatus::Ok) tcb->thread.may_hold_io_ports = true;
  }
  x86::io_bitmap_refresh();  // the caller may have changed its own grants (even on failure)
  return copied == mu::CapStatus::Ok ? 0 : object::status_result(copied);
}

}  // namespace kernel::syscall
