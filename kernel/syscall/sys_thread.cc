// Syscalls about the calling thread and time: yield, sleep_ns, clock_ns, thread_exit.
#include "proc/process.h"
#include "sched/scheduler.h"
#include "syscall/syscall.h"
#include "time/clock.h"

namespace kernel::syscall {

int64_t sys_yield(const SyscallArgs&) {
  sched::yield();
  return 0;
}

// sleep_ns(ns): ns <= kMaxSleepNs; 0 returns at once.
int64_t sys_sleep_ns(const SyscallArgs& args) {
  if (args.a0 > mu::kMaxSleepNs) return mu::status_value(mu::Status::InvalidArgument);
  if (args.a0 == 0) return 0;
  sched::sleep_until(time::monotonic_ns() + args.a0);
  return 0;
}

int64_t sys_clock_ns(const SyscallArgs&) { return static_cast<int64_t>(time::monotonic_ns()); }

// thread_exit(code): any code; does not return.
int64_t sys_thread_exit(const SyscallArgs& args) {
  proc::exit_thread(static_cast<int64_t>(args.a0));
}

}  // namespace kernel::syscall
