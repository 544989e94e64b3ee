// `ktest=time`: in-kernel checks of the clock and the one-shot timer, reported over serial.
#pragma once

namespace kernel::time {

// Enables interrupts and runs the checks; prints `ktest: time: ...` lines ending with
// `ktest: time: N passed, M failed`. Returns true when all passed. Preconditions: irq::init and
// time::init have run; no one else uses the timer handler meanwhile (it is replaced and reset).
bool run_ktest();

}  // namespace kernel::time
