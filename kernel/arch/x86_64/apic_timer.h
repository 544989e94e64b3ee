// The per-CPU timer interrupt behind time/clock_hw.h: the LAPIC timer in TSC-deadline or
// one-shot mode (Intel SDM vol 3A §11.5.4), or PIT channel 0 through the IOAPIC as the periodic
// fallback. Implements kernel::time::hw::timer_*.
#pragma once

#include <stdint.h>

namespace kernel::x86::apic_timer {

// LVT timer modes, SDM vol 3A §11.5.1 figure 11-8 (bits 18:17).
inline constexpr uint32_t kModeOneShot = 0u << 17;
inline constexpr uint32_t kModePeriodic = 1u << 17;
inline constexpr uint32_t kModeTscDeadline = 2u << 17;

inline constexpr uint32_t kMsrTscDeadline = 0x6E0;  // IA32_TSC_DEADLINE
inline constexpr uint32_t kDivideBy16 = 0x3;        // divide configuration, SDM figure 11-10
inline constexpr uint32_t kPeriodicHz = 1000;       // fallback tick

}  // namespace kernel::x86::apic_timer
