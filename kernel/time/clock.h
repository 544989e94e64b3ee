// Time: a monotonic nanosecond clock (TSC-based) and one one-shot timer per CPU.
// Implemented by kernel/time/ over the LAPIC timer and the calibrated TSC (arch/x86_64/).
#pragma once

#include <stdint.h>

namespace kernel::time {

// Calibrates the TSC and starts the per-CPU timer. Needs interrupts set up (kernel::irq).
void init();

// Nanoseconds since time::init(); never goes backwards.
[[nodiscard]] uint64_t monotonic_ns();
[[nodiscard]] uint64_t tsc_hz();

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
