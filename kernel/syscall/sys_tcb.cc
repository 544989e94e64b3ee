// Thread calls: TcbConfigure, TcbSetPriority, TcbSetMcp, TcbReadRegisters, TcbWriteRegisters,
// TcbResume, TcbSuspend, TcbGetInfo (docs/syscalls.md). Each looks its capabilities up in the
// caller's CSpace and checks rights first; the TCB operation (object/tcb.h) checks the rest before
// acting.
//
// Rights: every call needs the write right on the TCB capability, except TcbReadRegisters and
// TcbGetInfo, which need the read right (InsufficientRights otherwise). Errors of a lookup:
// InvalidSlot (CPtr outside the CSpace), SlotEmpty, WrongType (not a capability of the expected
// type).
#include "mm/user_copy.h"
#include "object/kernel_objects.h"
#include "object/tcb.h"
#include "sched/scheduler.h"
#include "syscall/syscall.h"

namespace kernel::syscall {
namespace {

using object::ObjectType;
using object::Slot;
using object::TcbObject;

int64_t result(mu::Status s) { return mu::status_value(s); }

// The TCB named by `cptr`; `write` selects the right needed (write, or else read).
mu::Status lookup_tcb(uint64_t cptr, bool write, TcbObject** out) {
  Slot* slot = nullptr;
  const mu::Status s = object::lookup_cap(cptr, ObjectType::Tcb, &slot);
  if (s != mu::Status::Ok) return s;
  const bool allowed = write ? slot->cap.rights.can_write() : slot->cap.rights.can_read();
  if (!allowed) return mu::Status::InsufficientRights;
  *out = object::tcb_from_cap(slot->cap);
  return mu::Status::Ok;
}

// An optional capability argument: CPtr 0 means none (*out = nullptr).
mu::Status lookup_optional(uint64_t cptr, ObjectType type, Slot** out) {
  *out = nullptr;
  if (cptr == 0) return mu::Status::Ok;
  return object::lookup_cap(cptr, type, out);
}

// The authority for priorities: the caller's MCP (every thread that makes syscalls lives in a
// TCB).
uint64_t caller_mcp() { return sched::current()->mcp; }

// An operation may have destroyed the caller's own TCB (configure deleting the last cap to it):
// that thread must never return to user mode.
int64_t finish(mu::Status s) {
  if (sched::current()->state == sched::ThreadState::Dead) sched::exit_current();
  return result(s);
}

}  // namespace

// TcbConfigure(tcb, cspace, vspace, ipc_buffer_frame, ipc_buffer_addr, fault_ep): sets all four;
// CPtr 0 leaves that one empty (ipc_buffer_addr must then be 0 too). Errors: as the lookups,
// InvalidArgument (buffer address not a 4 KiB-aligned user address, or given without a frame),
// InsufficientRights (IPC buffer frame without the write right).
int64_t sys_tcb_configure(const SyscallArgs& args) {
  TcbObject* tcb = nullptr;
  Slot *cspace = nullptr, *vspace = nullptr, *buffer = nullptr, *fault_ep = nullptr;
  mu::Status s = lookup_tcb(args.a0, true, &tcb);
  if (s == mu::Status::Ok) s = lookup_optional(args.a1, ObjectType::CNode, &cspace);
  if (s == mu::Status::Ok) s = lookup_optional(args.a2, ObjectType::VSpace, &vspace);
  if (s == mu::Status::Ok) s = lookup_optional(args.a3, ObjectType::Frame4K, &buffer);
  if (s == mu::Status::Ok) s = lookup_optional(args.a5, ObjectType::Endpoint, &fault_ep);
  if (s != mu::Status::Ok) return result(s);
  return finish(object::tcb_configure(tcb, cspace, vspace, buffer, args.a4, fault_ep));
}

// TcbSetPriority(tcb, priority): InvalidArgument above 255, AboveMcp when numerically below the
// caller's MCP (0 is the highest priority).
int64_t sys_tcb_set_priority(const SyscallArgs& args) {
  TcbObject* tcb = nullptr;
  const mu::Status s = lookup_tcb(args.a0, true, &tcb);
  if (s != mu::Status::Ok) return result(s);
  return result(object::tcb_set_priority(tcb, args.a1, caller_mcp()));
}

// TcbSetMcp(tcb, mcp): as TcbSetPriority.
int64_t sys_tcb_set_mcp(const SyscallArgs& args) {
  TcbObject* tcb = nullptr;
  const mu::Status s = lookup_tcb(args.a0, true, &tcb);
  if (s != mu::Status::Ok) return result(s);
  return result(object::tcb_set_mcp(tcb, args.a1, caller_mcp()));
}

// TcbReadRegisters(tcb, mu::UserRegisters* out): BadAddress when `out` is not writable.
int64_t sys_tcb_read_registers(const SyscallArgs& args) {
  TcbObject* tcb = nullptr;
  const mu::Status s = lookup_tcb(args.a0, false, &tcb);
  if (s != mu::Status::Ok) return result(s);
  mu::UserRegisters regs{};
  object::tcb_read_registers(tcb, &regs);
  if (!mm::copy_to_user(args.a1, &regs, sizeof(regs))) return result(mu::Status::BadAddress);
  return 0;
}

// TcbWriteRegisters(tcb, const mu::UserRegisters* in): BadAddress when `in` is not readable,
// InvalidArgument for a rip or rsp outside the user half, IllegalOperation unless the thread is
// suspended or waiting for the reply to a fault.
int64_t sys_tcb_write_registers(const SyscallArgs& args) {
  TcbObject* tcb = nullptr;
  const mu::Status s = lookup_tcb(args.a0, true, &tcb);
  if (s != mu::Status::Ok) return result(s);
  mu::UserRegisters regs{};
  if (!mm::copy_from_user(&regs, args.a1, sizeof(regs))) return result(mu::Status::BadAddress);
  return result(object::tcb_write_registers(tcb, regs));
}

// TcbResume(tcb): IllegalOperation without a CSpace and VSpace, or for a thread that ended.
int64_t sys_tcb_resume(const SyscallArgs& args) {
  TcbObject* tcb = nullptr;
  const mu::Status s = lookup_tcb(args.a0, true, &tcb);
  if (s != mu::Status::Ok) return result(s);
  return result(object::tcb_resume(tcb));
}

// TcbSuspend(tcb): suspending oneself returns (0) only once resumed.
int64_t sys_tcb_suspend(const SyscallArgs& args) {
  TcbObject* tcb = nullptr;
  const mu::Status s = lookup_tcb(args.a0, true, &tcb);
  if (s != mu::Status::Ok) return result(s);
  object::tcb_suspend(tcb);
  return 0;
}

// TcbGetInfo(tcb) -> mu::ThreadRunState | priority << 8 | mcp << 16.
int64_t sys_tcb_get_info(const SyscallArgs& args) {
  TcbObject* tcb = nullptr;
  const mu::Status s = lookup_tcb(args.a0, false, &tcb);
  if (s != mu::Status::Ok) return result(s);
  const sched::Thread& thread = tcb->thread;
  return static_cast<int64_t>(static_cast<uint64_t>(object::tcb_run_state(tcb)) |
                              (uint64_t{thread.priority()} << 8) | (uint64_t{thread.mcp} << 16));
}

}  // namespace kernel::syscall
