// The muOS user runtime: entry information, syscall wrappers and formatted debug output.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mu/syscall.h"

namespace mu::user {

// What _start (start.S) collected from the entry registers.
struct StartInfo {
  uint64_t arg;
  uint64_t initrd_base;
  uint64_t initrd_size;
  const char* cmdline;
  uint64_t cmdline_length;
  uint64_t kernel_tsc;
  uint64_t start_tsc;  // rdtsc as _start's first instruction
  uint64_t padding;
};

inline int64_t syscall(Sys number, uint64_t a0 = 0, uint64_t a1 = 0, uint64_t a2 = 0,
                       uint64_t a3 = 0) {
  int64_t result;
  register uint64_t r10 asm("r10") = a3;
  asm volatile("syscall"
               : "=a"(result)
               : "a"(static_cast<uint64_t>(number)), "D"(a0), "S"(a1), "d"(a2), "r"(r10)
               : "rcx", "r11", "memory");
  return result;
}

inline int64_t debug_write(const void* buf, size_t len) {
  return syscall(Sys::DebugWrite, reinterpret_cast<uint64_t>(buf), len);
}
inline void yield() { (void)syscall(Sys::Yield); }
inline int64_t sleep_ns(uint64_t ns) { return syscall(Sys::SleepNs, ns); }
inline uint64_t clock_ns() { return static_cast<uint64_t>(syscall(Sys::ClockNs)); }
[[noreturn]] inline void exit(int64_t code) {
  (void)syscall(Sys::ProcessExit, static_cast<uint64_t>(code));
  __builtin_unreachable();
}
inline int64_t get_pid() { return syscall(Sys::GetPid); }

inline uint64_t rdtsc() {
  uint32_t lo, hi;
  asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return (static_cast<uint64_t>(hi) << 32) | lo;
}

// printf subset: %s %c %d %u %x %ld %lu %lx (l is accepted and ignored: all are 64-bit),
// written with one debug_write so a line is never interleaved with another program's.
void print(const char* format, ...) __attribute__((format(printf, 1, 2)));

// Simple string helpers.
size_t string_length(const char* s);
bool starts_with(const char* s, size_t len, const char* prefix);

}  // namespace mu::user

// Each program defines it; its return value becomes the process exit code.
extern "C" int64_t mu_main(const mu::user::StartInfo* info);
