// Syscalls about processes: spawn (an initrd program), wait, process_exit, get_pid.
#include "mm/memory.h"
#include "mm/user_range.h"
#include "proc/process.h"
#include "sched/scheduler.h"
#include "syscall/syscall.h"

namespace kernel::syscall {

// spawn(path, len, priority, arg): 0 < len <= kMaxPathLength, path readable, priority <= 255
// and not above the caller's (a lower number), so nobody gains priority by spawning.
int64_t sys_spawn(const SyscallArgs& args) {
  const uint64_t user_path = args.a0;
  const uint64_t len = args.a1;
  const uint64_t priority = args.a2;
  if (len == 0 || len > mu::kMaxPathLength) return mu::status_value(mu::Status::InvalidArgument);
  if (priority >= sched::kPriorityCount || priority < sched::current()->priority()) {
    return mu::status_value(mu::Status::InvalidArgument);
  }
  if (mm::check_user_range(user_path, len) != mm::UserRangeStatus::Ok) {
    return mu::status_value(mu::Status::BadAddress);
  }
  char path[mu::kMaxPathLength];
  if (!mm::copy_from_user(path, user_path, len)) return mu::status_value(mu::Status::BadAddress);
  proc::Process* caller = proc::current_process();
  return proc::spawn(StringView(path, len), static_cast<sched::Priority>(priority), args.a3,
                     caller != nullptr ? caller->pid : 0);
}

// wait(pid): pid must be a child of the caller that nobody else waits for.
int64_t sys_wait(const SyscallArgs& args) { return proc::wait(args.a0); }

// process_exit(code): any code; does not return.
int64_t sys_process_exit(const SyscallArgs& args) {
  proc::exit_process(static_cast<int64_t>(args.a0));
}

int64_t sys_get_pid(const SyscallArgs&) {
  proc::Process* caller = proc::current_process();
  return caller != nullptr ? caller->pid : 0;
}

}  // namespace kernel::syscall
