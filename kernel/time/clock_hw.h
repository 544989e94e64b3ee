// What the architecture provides to kernel/time: a free-running counter, its calibration, and
// one per-CPU timer interrupt. Implemented by arch/x86_64/{tsc,apic_timer}.cc.
#pragma once

#include <stdint.h>

namespace kernel::time::hw {

// The counter (the TSC on x86_64): read, and how fast it runs.
[[nodiscard]] uint64_t read_counter();
// A spin-loop hint (PAUSE on x86_64).
void cpu_relax();
// Enables interrupts and halts until one arrives, without a window for a lost wake-up
// (`sti; hlt`: the STI shadow covers the HLT). Returns with interrupts enabled.
void wait_for_interrupt();

struct CounterCalibration {
  uint64_t hz = 0;                 // 0 when calibration failed
  const char* reference = "none";  // "hpet" or "pit"
  bool invariant = false;          // constant rate across P-/C-states (CPUID 0x80000007 EDX[8])
};
// Measures the counter against a fixed-frequency reference: the HPET when present and
// `allow_hpet` (a 1 ms window: busy waits cost boot time, ~1M instructions under icount),
// else PIT channel 2 (10 ms). Interrupts off.
[[nodiscard]] CounterCalibration calibrate_counter(bool allow_hpet);

// A simultaneous reading of the counter and the calibration reference, for refining the
// counter's rate over a long baseline. False when the reference cannot be read freely (PIT).
struct ReferenceSample {
  uint64_t counter = 0;
  uint64_t reference = 0;  // reference ticks
  uint64_t reference_hz = 0;
};
[[nodiscard]] bool reference_sample(ReferenceSample* sample);

// Runs `work` and measures how long it took on a reference that was NOT used for calibration
// (the PIT when calibrated on the HPET, the HPET when calibrated on the PIT), for self-checks.
// False when no such reference exists or the work outlasted it (the PIT covers ~54.9 ms).
[[nodiscard]] bool measure_independently(void (*work)(void* context), void* context, uint64_t* ns,
                                         const char** reference);

enum class TimerMode : uint8_t {
  TscDeadline,  // LAPIC timer armed with an absolute counter value
  OneShot,      // LAPIC timer counting down a relative tick count
  Periodic,     // a fixed tick (PIT channel 0 via the IOAPIC); deadlines checked on each tick
};
enum class TimerPreference : uint8_t { Best, OneShot, Periodic };

[[nodiscard]] const char* timer_mode_name(TimerMode mode);

// Sets up the timer interrupt, calling `on_interrupt` in interrupt context (EOI is handled by
// the caller's irq::dispatch). Picks TscDeadline when CPUID.1:ECX[24] says so, else OneShot with
// the LAPIC timer calibrated against the counter, and Periodic when the LAPIC timer does not
// count or `preference` asks for it. Nothing is armed afterwards.
[[nodiscard]] TimerMode timer_init(TimerPreference preference, uint64_t counter_hz,
                                   void (*on_interrupt)());

// TscDeadline: fire when the counter reaches `counter_value`.
void timer_arm_counter(uint64_t counter_value);
// OneShot: fire after `ns` (clamped to the hardware's range; an early fire is re-armed by the
// caller). Periodic: start ticking.
void timer_arm_after_ns(uint64_t ns);
// Disarms: no interrupt until the next arm.
void timer_stop();
// LAPIC timer rate in OneShot mode, tick rate in Periodic mode, 0 in TscDeadline mode.
[[nodiscard]] uint64_t timer_hz();

}  // namespace kernel::time::hw
