// Placeholder handlers until this family lands: UnknownSyscall.
#include "syscall/syscall.h"

namespace kernel::syscall {

int64_t sys_page_table_map(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_page_table_unmap(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_frame_map(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_frame_unmap(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_frame_remap(const SyscallArgs& a) { return sys_unknown(a); }
int64_t sys_frame_address(const SyscallArgs& a) { return sys_unknown(a); }

}  // namespace kernel::syscall
