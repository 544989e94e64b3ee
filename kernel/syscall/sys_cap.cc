// Placeholder handlers until this family lands: UnknownSyscall.
#include "syscall/syscall.h"

namespace kernel::syscall {

int64_t sys_cap_copy(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_cap_mint(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_cap_move(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_cap_delete(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_cap_revoke(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_cap_identify(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_untyped_retype(const SyscallArgs& a) { return sys_unknown(a); }

}  // namespace kernel::syscall
