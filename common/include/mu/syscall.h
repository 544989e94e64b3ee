// The system-call ABI shared by the kernel and user space: numbers, status codes, entry registers.
// Reference: docs/syscalls.md. Calling convention (x86-64 SYSCALL, Intel SDM vol 2B): number in
// rax, arguments in rdi, rsi, rdx, r10, r8, r9; result in rax; rcx and r11 are clobbered, every
// other register is preserved.
#pragma once

#include <stdint.h>

namespace mu {

enum class Sys : uint64_t {
  Null = 0,         // () -> 0; the cheapest round trip (benchmarks)
  DebugWrite = 1,   // (const char* buf, u64 len) -> len | status
  Yield = 2,        // () -> 0
  SleepNs = 3,      // (u64 ns) -> 0
  ClockNs = 4,      // () -> monotonic ns since boot
  ThreadExit = 5,   // (i64 code) -> does not return
  ProcessExit = 6,  // (i64 code) -> does not return
  Spawn = 7,        // (const char* path, u64 len, u64 priority, u64 arg) -> pid | status
  Wait = 8,         // (u64 pid) -> exit code | kExitFaultBase + vector | status
  GetPid = 9,       // () -> pid
  Count = 10,
};

// Negative results are errors; everything >= 0 is a successful value.
enum class Status : int64_t {
  Ok = 0,
  UnknownSyscall = -1,   // rax held no known syscall number
  InvalidArgument = -2,  // a value out of its documented range
  BadAddress = -3,       // a user pointer range is not readable/writable user memory
  NotFound = -4,         // no such file (Spawn) or process (Wait)
  NoMemory = -5,         // frames, stacks or table slots ran out
  BadExecutable = -6,    // Spawn: the file is not a valid user ELF
  NotChild = -7,         // Wait: the process exists but was not spawned by the caller
};

[[nodiscard]] constexpr int64_t status_value(Status s) { return static_cast<int64_t>(s); }

// A short description for messages ("not found", ...).
[[nodiscard]] constexpr const char* status_string(Status s) {
  switch (s) {
    case Status::Ok: return "ok";
    case Status::UnknownSyscall: return "unknown system call";
    case Status::InvalidArgument: return "invalid argument";
    case Status::BadAddress: return "bad address";
    case Status::NotFound: return "not found";
    case Status::NoMemory: return "out of memory";
    case Status::BadExecutable: return "not a valid user executable";
    case Status::NotChild: return "not a child of the caller";
  }
  return "unknown status";
}

// Wait's result for a process stopped by a CPU exception: kExitFaultBase + vector (e.g. 14 = #PF).
inline constexpr int64_t kExitFaultBase = 0x1000;

// Limits checked by the kernel.
inline constexpr uint64_t kMaxDebugWrite = 4096;
inline constexpr uint64_t kMaxPathLength = 255;
inline constexpr uint64_t kMaxSleepNs = 3600ULL * 1000 * 1000 * 1000;  // one hour

// How a program starts (the kernel enters _start with these registers; docs/syscalls.md):
//   rdi = spawn argument (0 for init), rsp 16-byte aligned at the top of the user stack.
// init additionally gets:
//   rsi = user address of a read-only mapping of the whole initrd (cpio newc), rdx = its size,
//   rcx = user address of the kernel command line (NUL-terminated, on init's stack), r8 = its
//   length, r9 = kernel_tsc (the TSC at kernel entry, for the boot-to-init benchmark).
inline constexpr uint64_t kInitrdUserBase = 0x0000'0100'0000'0000ULL;  // 1 TiB
inline constexpr uint64_t kUserStackTop = 0x0000'7FFF'FFF0'0000ULL;
inline constexpr uint64_t kUserStackPages = 16;  // 64 KiB, with an unmapped guard page below

// Priorities (0 highest, 255 lowest).
inline constexpr uint64_t kInitPriority = 10;
inline constexpr uint64_t kDefaultPriority = 100;

}  // namespace mu
