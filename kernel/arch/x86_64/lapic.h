// The local APIC (Intel SDM vol 3A chapter 11): enable, EOI and register access.
// xAPIC MMIO is the chosen mode; x2APIC MSRs are used only when the firmware already switched
// the APIC to x2APIC mode (leaving it would need a full disable, SDM §11.12.5).
#pragma once

#include <stdint.h>

namespace kernel::x86::lapic {

// Register offsets in the xAPIC MMIO page, SDM vol 3A §11.4.1 table 11-1. In x2APIC mode the
// MSR is 0x800 + offset / 16 (§11.12.1.2).
enum Register : uint32_t {
  kId = 0x20,
  kVersion = 0x30,
  kTaskPriority = 0x80,
  kEoi = 0xB0,
  kSpurious = 0xF0,
  kErrorStatus = 0x280,
  kIcrLow = 0x300,
  kIcrHigh = 0x310,
  kLvtCmci = 0x2F0,
  kLvtTimer = 0x320,
  kLvtThermal = 0x330,
  kLvtPerf = 0x340,
  kLvtLint0 = 0x350,
  kLvtLint1 = 0x360,
  kLvtError = 0x370,
  kTimerInitialCount = 0x380,
  kTimerCurrentCount = 0x390,
  kTimerDivide = 0x3E0,
};

inline constexpr uint32_t kLvtMasked = 1u << 16;  // SDM §11.5.1 figure 11-8
inline constexpr uint32_t kLvtNmi = 4u << 8;      // delivery mode NMI
inline constexpr uint8_t kSpuriousVector = 0xFF;
inline constexpr uint8_t kErrorVector = 0xFE;

// Enables this CPU's local APIC: software enable with spurious vector 0xFF (SDM §11.9), TPR 0,
// every LVT masked except LINT1 as NMI (the PC convention; LINT0/ExtINT stays masked because
// the 8259 is not used), errors to kErrorVector. Precondition: CPUID reports an APIC.
void init();

[[nodiscard]] bool x2apic_mode();
[[nodiscard]] uint32_t id();  // this CPU's APIC id
[[nodiscard]] uint64_t physical_base();

[[nodiscard]] uint32_t read(Register reg);
void write(Register reg, uint32_t value);

// A fixed-delivery IPI of `vector` to this CPU (SDM §11.6.1 ICR destination shorthand "self";
// the x2APIC SELF IPI register, §11.12.11).
void send_self_ipi(uint8_t vector);

// End of interrupt (SDM §11.8.5). Not for the spurious vector.
inline void eoi() { write(kEoi, 0); }

}  // namespace kernel::x86::lapic
