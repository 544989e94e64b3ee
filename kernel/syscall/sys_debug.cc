// Syscalls for diagnostics: null (benchmarks) and debug_write (serial/screen console).
#include "lib/print.h"
#include "mm/memory.h"
#include "mm/user_range.h"
#include "syscall/syscall.h"

namespace kernel::syscall {

int64_t sys_null(const SyscallArgs&) { return 0; }

// debug_write(buf, len): len <= kMaxDebugWrite; buf..buf+len readable user memory.
int64_t sys_debug_write(const SyscallArgs& args) {
  const uint64_t user_buf = args.a0;
  const uint64_t len = args.a1;
  if (len > mu::kMaxDebugWrite) return mu::status_value(mu::Status::InvalidArgument);
  if (mm::check_user_range(user_buf, len) != mm::UserRangeStatus::Ok) {
    return mu::status_value(mu::Status::BadAddress);
  }
  static char buffer[mu::kMaxDebugWrite];  // interrupts are off in the kernel: one user at a time
  if (!mm::copy_from_user(buffer, user_buf, len)) return mu::status_value(mu::Status::BadAddress);
  console_write(buffer, len);
  return static_cast<int64_t>(len);
}

}  // namespace kernel::syscall
