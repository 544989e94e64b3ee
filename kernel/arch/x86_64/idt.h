// The interrupt descriptor table (Intel SDM vol 3A §6.10-6.14).
#pragma once

#include <stdint.h>

namespace kernel::x86 {

inline constexpr unsigned kExceptionVectors = 32;

// Register state saved on every entry from user mode (isr.S, syscall_entry.S), lowest address
// first. The six SYSCALL argument registers come first, in ABI order, so a syscall's arguments
// are read straight from the frame (syscall::SyscallArgs).
struct InterruptFrame {
  uint64_t rdi, rsi, rdx, r10, r8, r9;
  uint64_t r15, r14, r13, r12, r11, rbp, rcx, rbx, rax;
  uint64_t vector;
  uint64_t error_code;  // 0 for vectors where the CPU pushes none
  // Pushed by the CPU, SDM vol 3A §6.14.1 figure 6-9.
  uint64_t rip, cs, rflags, rsp, ss;
};
static_assert(sizeof(InterruptFrame) == 22 * 8);

// Fills the IDT with the 32 exception stubs and loads it.
void idt_init();

// Short mnemonic ("#PF") and name ("Page Fault") of an exception vector.
[[nodiscard]] const char* exception_mnemonic(uint64_t vector);
[[nodiscard]] const char* exception_name(uint64_t vector);

}  // namespace kernel::x86
