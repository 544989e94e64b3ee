// bad_pointer: hands the kernel pointers it must refuse (kernel half, NULL, unmapped, wrapping,
// non-canonical) and an unknown syscall number; exits 0 only if every call failed cleanly.
#include "mu/program.h"
#include "mu_user.h"

using namespace mu::user;

namespace {

int64_t g_failures = 0;

void expect(const char* what, int64_t got, mu::Status want) {
  const bool ok = got == mu::status_value(want);
  if (!ok) ++g_failures;
  print("bad_pointer: %s -> %ld (%s)\n", what, got, ok ? "refused as expected" : "WRONG");
}

}  // namespace

extern "C" int64_t mu_main(const StartInfo*) {
  using mu::Status;
  expect("debug_write(kernel text)", syscall(mu::Sys::DebugWrite, 0xFFFFFFFF80000000ULL, 16),
         Status::BadAddress);
  expect("debug_write(hhdm)", syscall(mu::Sys::DebugWrite, 0xFFFF800000000000ULL, 16),
         Status::BadAddress);
  expect("debug_write(NULL)", syscall(mu::Sys::DebugWrite, 0, 16), Status::BadAddress);
  expect("debug_write(unmapped)", syscall(mu::Sys::DebugWrite, 0x20000000ULL, 16),
         Status::BadAddress);
  expect("debug_write(non-canonical)", syscall(mu::Sys::DebugWrite, 0x0000800000000000ULL, 16),
         Status::BadAddress);
  expect("debug_write(past user end)", syscall(mu::Sys::DebugWrite, 0x7FFFFFFFF800ULL, 0x1000),
         Status::BadAddress);
  expect("debug_write(too long)", syscall(mu::Sys::DebugWrite, 0x400000, 1 << 20),
         Status::InvalidArgument);
  // A pointer the kernel would write through: its own TCB's registers into the kernel half.
  expect("tcb_read_registers(kernel text)",
         syscall(mu::Sys::TcbReadRegisters, mu::kProgSlotTcb, 0xFFFFFFFF80000000ULL),
         Status::BadAddress);
  expect("sleep_ns(too long)", syscall(mu::Sys::SleepNs, ~0ULL), Status::InvalidArgument);
  // 7 and 8 were Spawn and Wait (retired): gaps like any other unknown number.
  expect("syscall 7 (retired Spawn)",
         syscall(static_cast<mu::Sys>(7), 0xFFFFFFFF80000000ULL, 8, 100, 0),
         Status::UnknownSyscall);
  expect("syscall 8 (retired Wait)", syscall(static_cast<mu::Sys>(8), 1), Status::UnknownSyscall);
  expect("syscall 999", syscall(static_cast<mu::Sys>(999)), Status::UnknownSyscall);
  expect("syscall -1", syscall(static_cast<mu::Sys>(~0ULL)), Status::UnknownSyscall);
  print("bad_pointer: %ld wrong answers\n", g_failures);
  return g_failures;
}
