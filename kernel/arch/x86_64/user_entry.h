// Entering user mode for the first time: the registers a new user thread starts with.
#pragma once

#include <stdint.h>

namespace kernel::x86 {

// Field offsets are used by enter_user (syscall_entry.S).
struct UserEntry {
  uint64_t rip;  // 0
  uint64_t rsp;  // 8
  uint64_t rdi;  // 16
  uint64_t rsi;  // 24
  uint64_t rdx;  // 32
  uint64_t rcx;  // 40
  uint64_t r8;   // 48
  uint64_t r9;   // 56
};

}  // namespace kernel::x86

// Drops to ring 3 through IRET with interrupts on. Precondition: the thread's address space is
// loaded and GS base holds the kernel value (it is swapped to the user value on the way out).
extern "C" [[noreturn]] void enter_user(const kernel::x86::UserEntry* entry);
