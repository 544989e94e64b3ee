// The syscall table and dispatcher: unknown numbers fail with UnknownSyscall.
#include "syscall/syscall.h"

namespace kernel::syscall {
namespace {

constexpr Handler kTable[static_cast<uint64_t>(mu::Sys::Count)] = {
    sys_null,          // Null
    sys_debug_write,   // DebugWrite
    sys_yield,         // Yield
    sys_sleep_ns,      // SleepNs
    sys_clock_ns,      // ClockNs
    sys_thread_exit,   // ThreadExit
    sys_process_exit,  // ProcessExit
    sys_spawn,         // Spawn
    sys_wait,          // Wait
    sys_get_pid,       // GetPid
};

}  // namespace
}  // namespace kernel::syscall

extern "C" void syscall_dispatch(kernel::syscall::SyscallFrame* frame) {
  using namespace kernel::syscall;
  const uint64_t number = frame->rax;
  if (number >= static_cast<uint64_t>(mu::Sys::Count)) {
    frame->rax = static_cast<uint64_t>(mu::status_value(mu::Status::UnknownSyscall));
    return;
  }
  const SyscallArgs args{frame->rdi, frame->rsi, frame->rdx, frame->r10, frame->r8, frame->r9};
  frame->rax = static_cast<uint64_t>(kTable[number](args));
}
