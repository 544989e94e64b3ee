// The IPC fast path: Call and ReplyRecv whose partner is already waiting switch straight to it
// (seL4's fastpath idea). The slow path (sys_ipc.cc, endpoint.cc) gives identical results; the
// fast path only skips the scheduler queues, the timer and the kernel stack unwinding.
#pragma once

#include "syscall/syscall.h"

namespace kernel::ipc {

// Called by syscall_dispatch for Call and ReplyRecv before the table. When every condition holds
// (docs/ipc.md "Fast path") it does the whole call and leaves for user mode in the partner's
// context without returning; otherwise it returns having changed nothing.
void fastpath_call(syscall::SyscallFrame* frame);
void fastpath_reply_recv(syscall::SyscallFrame* frame);

}  // namespace kernel::ipc
