// The IPC fast path: Call and ReplyRecv whose partner is already waiting switch straight to it
// (seL4's fastpath idea). The slow path (sys_ipc.cc, endpoint.cc) gives identical results; the
// fast path only skips the scheduler queues, the timer and the kernel stack unwinding.
#pragma once

#include "syscall/syscall.h"

// Called by syscall_entry.S for Call and ReplyRecv, before syscall_dispatch. When every condition
// holds (docs/ipc.md "Fast path") they do the whole call and leave for user mode in the
// partner's context without returning; otherwise they return having changed nothing.
extern "C" void ipc_fastpath_call(kernel::syscall::SyscallFrame* frame);
extern "C" void ipc_fastpath_reply_recv(kernel::syscall::SyscallFrame* frame);
// Signal waking a higher-priority NtfnWait waiter (docs/ipc.md "Fast path").
extern "C" void ipc_fastpath_signal(kernel::syscall::SyscallFrame* frame);
