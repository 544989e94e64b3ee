// Placeholder handlers until this family lands: UnknownSyscall.
#include "syscall/syscall.h"

namespace kernel::syscall {

int64_t sys_irq_control_get(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_irq_handler_set_notification(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_irq_handler_ack(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_io_port_issue(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_tcb_set_io_ports(const SyscallArgs& a) { return sys_unknown(a); }

}  // namespace kernel::syscall
