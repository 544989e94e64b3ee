// The interrupt descriptor table (Intel SDM vol 3A §6.10-6.14).
#pragma once

#include <stdint.h>

namespace kernel::x86 {

inline constexpr unsigned kExceptionVectors = 32;

// Register state saved by the exception stubs (isr.S), lowest address first.
struct InterruptFrame {
  uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
  uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
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
