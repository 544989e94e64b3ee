// The time-stamp counter: feature checks (Intel SDM vol 3B §18.17) for the clock code.
#pragma once

namespace kernel::x86::tsc {

// CPUID.80000007H:EDX[8]: the TSC runs at a constant rate in all ACPI P-, C- and T-states.
[[nodiscard]] bool invariant();
// CPUID.01H:ECX[24]: the LAPIC timer supports TSC-deadline mode (SDM §11.5.4.1).
[[nodiscard]] bool deadline_supported();

}  // namespace kernel::x86::tsc
