// Time: a monotonic nanosecond clock (TSC-based) and one one-shot timer per CPU.
// Implemented by kernel/time/ over the LAPIC timer and the calibrated TSC (arch/x86_64/).
#pragma once

#include <stdint.h>

namespace kernel::time {

// Which timer hardware to use; Best picks TSC-deadline, then LAPIC one-shot, then periodic.
enum class TimerChoice : uint8_t { Best, OneShot, Periodic };
// Which reference calibrates the TSC; Best prefers the HPET over the PIT.
enum class ClockReference : uint8_t { Best, Pit };

// Calibrates the TSC and sets up the per-CPU timer, with nothing armed. Needs kernel::irq
// initialised (the periodic fallback routes an IOAPIC line); interrupts may stay off. Prints
// `time: tsc_hz=N calibrated_against=pit|hpet timer=tsc-deadline|oneshot|periodic ...`.
// Panics if the TSC cannot be calibrated at all.
void init(TimerChoice timer = TimerChoice::Best, ClockReference reference = ClockReference::Best);

// Nanoseconds since time::init(); never goes backwards.
[[nodiscard]] uint64_t monotonic_ns();
[[nodiscard]] uint64_t tsc_hz();
// True once the boot calibration (1 ms) was refined over a >= 1 s HPET baseline; the clock is
// rebased there, so it stays continuous. Happens on a timer interrupt or arm after 1 s uptime.
[[nodiscard]] bool tsc_refined();

// Called in interrupt context when the programmed deadline passes.
using TimerHandler = void (*)(uint64_t now_ns);
void set_timer_handler(TimerHandler handler);

// Arms this CPU's one-shot timer for the absolute time `deadline_ns` (replacing any earlier
// deadline); a deadline in the past fires at once. cancel_timer() disarms it (tickless idle).
void arm_timer(uint64_t deadline_ns);
void cancel_timer();

// Busy-waits (for early boot and drivers; the scheduler's sleep is separate).
void spin_ns(uint64_t ns);

}  // namespace kernel::time
