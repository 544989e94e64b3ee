// IPC and notification syscalls: capability lookup and argument checks, then kernel/ipc acts.
// Semantics and error codes: docs/ipc.md; registers: mu/ipc.h.
#include "ipc/ipc.h"
#include "ipc/ipc_state.h"
#include "ipc/objects.h"
#include "object/kernel_objects.h"
#include "object/tcb.h"
#include "sched/scheduler.h"
#include "syscall/syscall.h"

namespace kernel::syscall {
namespace {

using mu::Status;
using object::ObjectType;
using object::Slot;

constexpr int64_t fail(Status s) { return mu::status_value(s); }

// Looks up a capability of `type` that has every right in `rights`.
Status lookup(uint64_t cptr, ObjectType type, uint8_t rights, Slot** out) {
  const Status s = object::lookup_cap(cptr, type, out);
  if (s != Status::Ok) return s;
  return (*out)->cap.rights.has(rights) ? Status::Ok : Status::InsufficientRights;
}

Status check_tag(uint64_t raw) {
  const mu::MessageTag tag{raw};
  if (tag.length() > mu::kMaxMessageWords || tag.extra_caps() > mu::kMaxTransferCaps)
    return Status::InvalidArgument;
  return Status::Ok;
}

Status check_timeout(const SyscallArgs& a) {
  return a.frame()->r13 <= mu::kMaxIpcTimeoutNs ? Status::Ok : Status::InvalidArgument;
}

// The optional reply object of a receive (r12; 0 = none).
Status lookup_reply(uint64_t cptr, bool required, ipc::ReplyObject** out) {
  *out = nullptr;
  if (cptr == 0 && !required) return Status::Ok;
  Slot* slot = nullptr;
  const Status s = object::lookup_cap(cptr, ObjectType::Reply, &slot);
  if (s != Status::Ok) return s;
  *out = ipc::object_at<ipc::ReplyObject>(slot->cap.object);
  return ipc::reply_usable(*out) ? Status::Ok : Status::Busy;
}

int64_t do_send(const SyscallArgs& a, bool call, bool blocking) {
  Slot* ep = nullptr;
  const uint8_t rights = call ? (mu::kRightWrite | mu::kRightGrantReply) : mu::kRightWrite;
  Status s = lookup(a.a0, ObjectType::Endpoint, rights, &ep);
  if (s == Status::Ok) s = check_tag(a.a1);
  if (s == Status::Ok && blocking) s = check_timeout(a);
  if (s != Status::Ok) return fail(s);
  const uint64_t flags =
      (call ? ipc::kIpcCall : 0) | (ep->cap.rights.can_grant() ? ipc::kIpcGrant : 0);
  return ipc::send(ipc::object_at<ipc::Endpoint>(ep->cap.object), ep->cap.badge(), flags, blocking,
                   blocking ? a.frame()->r13 : 0);
}

int64_t do_recv(const SyscallArgs& a, bool blocking) {
  Slot* ep = nullptr;
  ipc::ReplyObject* reply = nullptr;
  Status s = lookup(a.a0, ObjectType::Endpoint, mu::kRightRead, &ep);
  if (s == Status::Ok) s = lookup_reply(a.frame()->r12, false, &reply);
  if (s == Status::Ok && blocking) s = check_timeout(a);
  if (s != Status::Ok) return fail(s);
  return ipc::recv(ipc::object_at<ipc::Endpoint>(ep->cap.object), reply, ep->cap.rights.can_grant(),
                   blocking, blocking ? a.frame()->r13 : 0);
}

Status lookup_notification(uint64_t cptr, uint8_t rights, ipc::Notification** out) {
  Slot* slot = nullptr;
  const Status s = lookup(cptr, ObjectType::Notification, rights, &slot);
  if (s == Status::Ok) *out = ipc::object_at<ipc::Notification>(slot->cap.object);
  return s;
}

}  // namespace

int64_t sys_send(const SyscallArgs& a) { return do_send(a, false, true); }
int64_t sys_nb_send(const SyscallArgs& a) { return do_send(a, false, false); }
int64_t sys_call(const SyscallArgs& a) { return do_send(a, true, true); }
int64_t sys_recv(const SyscallArgs& a) { return do_recv(a, true); }
int64_t sys_nb_recv(const SyscallArgs& a) { return do_recv(a, false); }

int64_t sys_reply(const SyscallArgs& a) {
  ipc::ReplyObject* reply = nullptr;
  Status s = lookup_reply(a.a0, true, &reply);
  if (s == Status::Busy) s = Status::Ok;  // a receiver waiting on it does not stop a reply
  if (s == Status::Ok) s = check_tag(a.a1);
  if (s != Status::Ok) return fail(s);
  return ipc::reply(reply);
}

// Reply (when the reply object holds a caller) then receive, both on `reply` (r12).
int64_t sys_reply_recv(const SyscallArgs& a) {
  Slot* ep = nullptr;
  ipc::ReplyObject* reply = nullptr;
  Status s = lookup(a.a0, ObjectType::Endpoint, mu::kRightRead, &ep);
  if (s == Status::Ok) s = lookup_reply(a.frame()->r12, true, &reply);
  if (s == Status::Ok) s = check_tag(a.a1);
  if (s == Status::Ok) s = check_timeout(a);
  if (s != Status::Ok) return fail(s);
  if (ipc::has_caller(reply)) (void)ipc::reply(reply);
  return ipc::recv(ipc::object_at<ipc::Endpoint>(ep->cap.object), reply, ep->cap.rights.can_grant(),
                   true, a.frame()->r13);
}

int64_t sys_signal(const SyscallArgs& a) {
  Slot* slot = nullptr;
  const Status s = lookup(a.a0, ObjectType::Notification, mu::kRightWrite, &slot);
  if (s != Status::Ok) return fail(s);
  ipc::signal(ipc::object_at<ipc::Notification>(slot->cap.object), slot->cap.badge());
  return 0;
}

int64_t sys_ntfn_wait(const SyscallArgs& a) {
  ipc::Notification* n = nullptr;
  Status s = lookup_notification(a.a0, mu::kRightRead, &n);
  if (s == Status::Ok) s = check_timeout(a);
  if (s != Status::Ok) return fail(s);
  return ipc::ntfn_wait(n, a.frame()->r13);
}

int64_t sys_ntfn_poll(const SyscallArgs& a) {
  ipc::Notification* n = nullptr;
  const Status s = lookup_notification(a.a0, mu::kRightRead, &n);
  if (s != Status::Ok) return fail(s);
  return ipc::ntfn_poll(n);
}

int64_t sys_tcb_bind_notification(const SyscallArgs& a) {
  Slot* tcb = nullptr;
  ipc::Notification* n = nullptr;
  Status s = object::lookup_cap(a.a0, ObjectType::Tcb, &tcb);
  if (s == Status::Ok) s = lookup_notification(a.a1, mu::kRightRead, &n);
  if (s != Status::Ok) return fail(s);
  const object::SlotRef ntfn{object::cspace_root(sched::current()), a.a1};
  return fail(ipc::bind_notification(object::tcb_from_cap(tcb->cap), ntfn));
}

int64_t sys_tcb_unbind_notification(const SyscallArgs& a) {
  Slot* tcb = nullptr;
  const Status s = object::lookup_cap(a.a0, ObjectType::Tcb, &tcb);
  if (s != Status::Ok) return fail(s);
  return fail(ipc::unbind_notification(object::tcb_from_cap(tcb->cap)));
}

}  // namespace kernel::syscall
