// Placeholder handlers until this family lands: UnknownSyscall.
#include "syscall/syscall.h"

namespace kernel::syscall {

int64_t sys_send(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_nb_send(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_recv(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_nb_recv(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_call(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_reply(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_reply_recv(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_signal(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_ntfn_wait(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_ntfn_poll(const SyscallArgs& a) { return sys_unknown(a); }

int64_t sys_tcb_bind_notification(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_tcb_unbind_notification(const SyscallArgs& a) { return sys_unknown(a); }

}  // namespace kernel::syscall
