// System-call dispatch: the register frame syscall_entry.S builds and the handler table.
#pragma once

#include <stdint.h>

#include "mu/syscall.h"

namespace kernel::syscall {

// Layout pushed by syscall_entry.S, lowest address first.
struct SyscallFrame {
  uint64_t r9, r8, r10, rdx, rsi, rdi;
  uint64_t rax;  // number on entry, result on return
  // An IRET frame, so the return path can use IRET when SYSRET is unsafe.
  uint64_t rip, cs, rflags, rsp, ss;
};
static_assert(sizeof(SyscallFrame) == 12 * 8);

// The six arguments in ABI order (rdi, rsi, rdx, r10, r8, r9).
struct SyscallArgs {
  uint64_t a0, a1, a2, a3, a4, a5;
};

// Every handler validates every argument it uses before acting, and returns a value >= 0 or a
// negative mu::Status.
using Handler = int64_t (*)(const SyscallArgs& args);

// Handlers, one file per family.
int64_t sys_null(const SyscallArgs& args);
int64_t sys_debug_write(const SyscallArgs& args);
int64_t sys_yield(const SyscallArgs& args);
int64_t sys_sleep_ns(const SyscallArgs& args);
int64_t sys_clock_ns(const SyscallArgs& args);
int64_t sys_thread_exit(const SyscallArgs& args);
int64_t sys_process_exit(const SyscallArgs& args);
int64_t sys_spawn(const SyscallArgs& args);
int64_t sys_wait(const SyscallArgs& args);
int64_t sys_get_pid(const SyscallArgs& args);

}  // namespace kernel::syscall

extern "C" void syscall_dispatch(kernel::syscall::SyscallFrame* frame);
