// Helpers shared by the files of kernel/ipc (not part of its interface).
#pragma once

#include <stdint.h>

#include "ipc/objects.h"
#include "ipc/transfer.h"
#include "sched/thread.h"

namespace kernel::ipc {

// Blocks the running thread (timeout_ns 0: for ever) and returns the status its partner stored
// in its user frame's rax.
[[nodiscard]] int64_t block_for_partner(sched::Thread* cur, uint64_t timeout_ns);

// Binds `caller` (already out of any queue) to `reply`: it now waits for the reply.
void bind_caller(ReplyObject* reply, sched::Thread* caller, bool can_grant);

// A caller whose call cannot complete (no reply object, object deleted): a normal caller's call
// returns `status`; a fault sender stays stopped (Inactive). With `preempt` false the scheduler
// does not switch (destroy hooks).
void fail_caller(sched::Thread* caller, mu::Status status, bool preempt);

// Takes a thread blocked in Send/Recv/Notification/Reply out of its queue or binding; leaves its
// scheduler state alone.
void leave_wait(sched::Thread* thread);

// The send half without the wait's result: kBlocked when the thread blocked (its status is then
// in its frame, except for fault senders whose frame is left alone).
inline constexpr int64_t kBlocked = 1;
[[nodiscard]] int64_t send_message(Endpoint* ep, uint64_t badge, uint64_t flags, bool blocking,
                                   uint64_t timeout_ns);

}  // namespace kernel::ipc
