// Endpoints, reply objects and notifications (kernel/ipc): the kernel's side of IPC. The
// syscall handlers are in syscall/sys_ipc.cc; the register ABI is in mu/ipc.h.
#pragma once

#include <stdint.h>

#include "sched/thread.h"

namespace kernel::ipc {

// DestroyHooks: waiting threads are woken with Cancelled, bindings undone.
void endpoint_destroyed(uint64_t phys);
void notification_destroyed(uint64_t phys);
void reply_destroyed(uint64_t phys);

// Takes `thread` out of whatever IPC it is blocked in (TcbSuspend, TCB destroy). A caller waiting
// for this thread's reply gets Cancelled. No effect on a thread that is not in IPC.
void cancel_ipc(sched::Thread* thread);

// A fault of the running user thread (an exception, or an unknown syscall number): sends the
// fault message (mu/ipc.h) to its fault endpoint and blocks until the handler replies; returns
// true when the thread may resume (registers may have been changed meanwhile). Returns false at
// once when the thread has no fault endpoint, or never returns when the handler lets it stop.
[[nodiscard]] bool deliver_fault(sched::Thread* thread, uint64_t label, uint64_t word0,
                                 uint64_t word1, uint64_t word2);

// Signals a notification object (kernel view at `phys`) with `badge` ORed into its word: the IRQ
// path uses it to deliver an interrupt.
void signal_notification(uint64_t phys, uint64_t badge);

}  // namespace kernel::ipc
