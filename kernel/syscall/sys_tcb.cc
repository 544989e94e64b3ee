// Placeholder handlers until this family lands: UnknownSyscall.
#include "syscall/syscall.h"

namespace kernel::syscall {

int64_t sys_tcb_configure(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_tcb_set_priority(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_tcb_set_mcp(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_tcb_read_registers(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_tcb_write_registers(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_tcb_resume(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_tcb_suspend(const SyscallArgs& a) { return sys_unknown(a); }

}  // namespace kernel::syscall
