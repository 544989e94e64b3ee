// Syscalls about processes: process_exit, get_pid. (Spawn and Wait, 7 and 8, are retired: init
// builds programs itself; table.cc routes the numbers to sys_unknown.)
#include "proc/process.h"
#include "sched/scheduler.h"
#include "syscall/syscall.h"

namespace kernel::syscall {

// process_exit(code): any code; does not return.
int64_t sys_process_exit(const SyscallArgs& args) {
  proc::exit_process(static_cast<int64_t>(args.a0));
}

// The kernel knows one process, init (pid 1); every other thread is 0. Programs learn the pid
// init gave them from their start record (mu/program.h).
int64_t sys_get_pid(const SyscallArgs&) {
  proc::Process* caller = proc::current_process();
  return caller != nullptr ? caller->pid : 0;
}

}  // namespace kernel::syscall
