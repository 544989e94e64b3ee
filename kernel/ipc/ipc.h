// Endpoints, reply objects and notifications (kernel/ipc): the kernel's side of IPC. The
// syscall handlers (syscall/sys_ipc.cc) look up and check capabilities, rights, tags and
// timeouts, then call the operations below; the register ABI is in mu/ipc.h and the semantics
// in docs/ipc.md. Locking: interrupts off (the big kernel lock), as everywhere in the kernel.
#pragma once

#include <stdint.h>

#include "object/tcb.h"
#include "object/untyped.h"
#include "sched/thread.h"

namespace kernel::ipc {

struct Endpoint;
struct Notification;
struct ReplyObject;

// ---- Operations of the running thread ----
// The message sent is the one in the running thread's user frame (tag in rsi, MR0..3 in rdx r10
// r8 r9, MR4.. in its IPC buffer). Each returns the syscall's status; outputs (badge, tag, MRs)
// are written into the thread's user frame. A thread that blocks returns, once woken, the status
// its partner stored in its frame's rax. `timeout_ns` 0 waits for ever.

// Send / NBSend / Call. `flags`: kIpcCall, kIpcGrant (ipc_state.h). Call waits for the reply
// (the timeout covers the whole call). NBSend: WouldBlock when no receiver waits.
[[nodiscard]] int64_t send(Endpoint* ep, uint64_t badge, uint64_t flags, bool blocking,
                           uint64_t timeout_ns);
// Recv / NBRecv (and the receive half of ReplyRecv). `reply` may be nullptr; `grant` says the
// endpoint cap has the grant right (replies bound through `reply` may then carry a capability).
[[nodiscard]] int64_t recv(Endpoint* ep, ReplyObject* reply, bool grant, bool blocking,
                           uint64_t timeout_ns);
// Checks a Recv's reply object without changing anything: Busy when another thread waits on it.
[[nodiscard]] bool reply_usable(const ReplyObject* reply);
// Reply: delivers the running thread's message to the caller bound to `reply` and unbinds it.
// NoCaller when none is bound.
[[nodiscard]] int64_t reply(ReplyObject* reply);
[[nodiscard]] bool has_caller(const ReplyObject* reply);

// Notifications. Wait/poll refuse a notification bound to another thread (IllegalOperation).
[[nodiscard]] int64_t ntfn_wait(Notification* ntfn, uint64_t timeout_ns);
[[nodiscard]] int64_t ntfn_poll(Notification* ntfn);
// TcbBindNotification / TcbUnbindNotification (the notification cap is copied into the TCB's
// kTcbSlotNotification). Busy when either side is bound already or the notification has waiters;
// unbind: IllegalOperation when nothing is bound.
[[nodiscard]] mu::Status bind_notification(object::TcbObject* tcb, const object::SlotRef& ntfn);
[[nodiscard]] mu::Status unbind_notification(object::TcbObject* tcb);

// ---- Kernel entry points ----
// DestroyHooks: waiting threads are woken with Cancelled, bindings undone.
void endpoint_destroyed(uint64_t phys);
void notification_destroyed(uint64_t phys);
void reply_destroyed(uint64_t phys);

// Takes `thread` out of whatever IPC it is blocked in (TcbSuspend, TCB destroy); its syscall
// returns Cancelled if it ever runs again. A caller waiting for this thread's reply stays bound
// to the reply object. No effect on a thread that is not in IPC.
void cancel_ipc(sched::Thread* thread);

// The scheduler's timer calls this for a thread whose block_until deadline passed: it leaves its
// queue or reply binding and its syscall returns Timeout.
void timeout_expired(sched::Thread* thread);

// A fault of the running user thread (an exception, or an unknown syscall number): sends the
// fault message (mu/ipc.h) to its fault endpoint and blocks until the handler replies; returns
// true when the thread may resume (registers may have been changed meanwhile). Returns false at
// once when the thread has no fault endpoint. When the handler lets it stop (reply label != 0,
// reply object deleted) the thread is Inactive and this returns only after a TcbResume.
[[nodiscard]] bool deliver_fault(sched::Thread* thread, uint64_t label, uint64_t word0,
                                 uint64_t word1, uint64_t word2);

// Signals a notification object (kernel view at `phys`) with `badge` ORed into its word (a badge
// of 0 ORs 1): the IRQ path uses it to deliver an interrupt. Wakes one waiter, or the bound
// thread blocked in Recv.
void signal_notification(uint64_t phys, uint64_t badge);
void signal(Notification* ntfn, uint64_t badge);

}  // namespace kernel::ipc
