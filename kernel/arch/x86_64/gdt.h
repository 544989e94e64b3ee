// GDT and TSS of the boot CPU (Intel SDM vol 3A §3.4.5, §7.7).
#pragma once

#include <stdint.h>

namespace kernel::x86 {

// Selector layout. User data sits below user code so SYSRET can derive both from STAR[63:48]
// (SDM vol 2B SYSRET: SS = STAR[63:48]+8, CS = STAR[63:48]+16).
inline constexpr uint16_t kKernelCodeSelector = 0x08;
inline constexpr uint16_t kKernelDataSelector = 0x10;
inline constexpr uint16_t kUserDataSelector = 0x18 | 3;
inline constexpr uint16_t kUserCodeSelector = 0x20 | 3;
inline constexpr uint16_t kTssSelector = 0x28;

// Interrupt stack table slots (1-based as in the IDT gate's IST field). SDM vol 3A §6.14.5.
inline constexpr uint8_t kIstNmi = 1;
inline constexpr uint8_t kIstDoubleFault = 2;
inline constexpr uint8_t kIstMachineCheck = 3;

// Size of the TSS I/O permission bitmap: one bit for each of the 65536 ports.
inline constexpr unsigned kIoBitmapBytes = 65536 / 8;

// Builds the GDT and TSS, loads them and reloads every segment register.
void gdt_init();

// Sets TSS.RSP0, the stack the CPU switches to on an interrupt or exception from user mode
// (SDM vol 3A §6.14.2). The scheduler calls it on every switch to a thread.
void set_tss_rsp0(uint64_t top);
// Points IST slot `slot` (kIst*) at a new stack top; the next exception using it lands there.
void set_ist_stack(uint8_t slot, uint64_t top);
// The stack top IST slot `slot` currently holds.
[[nodiscard]] uint64_t ist_stack(uint8_t slot);
// The TSS I/O permission bitmap (kIoBitmapBytes; bit set = port closed to user mode), all ones
// after gdt_init. Only io_bitmap.cc writes it.
[[nodiscard]] uint8_t* tss_io_bitmap();

}  // namespace kernel::x86
