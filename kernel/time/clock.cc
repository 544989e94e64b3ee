// The monotonic clock over the calibrated counter and the one-shot timer over time/clock_hw.h.
// Tickless: with nothing armed the hardware timer is stopped and raises no interrupts.
#include "time/clock.h"

#include "arch/interrupts.h"
#include "debug/panic.h"
#include "lib/print.h"
#include "time/clock_hw.h"
#include "time/time_math.h"

namespace kernel::time {
namespace {

constexpr uint64_t kNoDeadline = UINT64_MAX;

// After refinement the clock must not jump, so it is rebased there:
//   monotonic_ns = g_ns_base + (counter - g_counter_base) * g_counter_to_ns.
// Written only with interrupts off on the boot CPU (SMP needs a seqlock here).
constexpr uint64_t kRefineAfterNs = 1'000'000'000;

uint64_t g_counter_hz = 0;
uint64_t g_counter_base = 0;
uint64_t g_ns_base = 0;
bool g_refine_pending = false;
bool g_refined = false;
hw::ReferenceSample g_calibration_sample;
Scale g_counter_to_ns;
Scale g_ns_to_counter;
hw::TimerMode g_mode = hw::TimerMode::OneShot;
uint64_t g_last_ns = 0;  // the largest value handed out (monotonicity guard)
volatile uint64_t g_deadline_ns = kNoDeadline;
TimerHandler g_handler = nullptr;

// Programs the hardware for g_deadline_ns. Interrupts off.
void program(uint64_t deadline_ns) {
  switch (g_mode) {
    case hw::TimerMode::TscDeadline:
      hw::timer_arm_counter(
          deadline_after(g_counter_base, g_ns_to_counter.apply(ns_until(deadline_ns, g_ns_base))));
      break;
    case hw::TimerMode::OneShot:
    case hw::TimerMode::Periodic:
      hw::timer_arm_after_ns(ns_until(deadline_ns, monotonic_ns()));
      break;
  }
}

// Once the clock has run for kRefineAfterNs, recomputes the counter rate from the samples at
// init and now: the 250 us boot calibration's error (read latencies) shrinks four-thousandfold.
// Interrupts off.
void refine_if_due(uint64_t now_ns) {
  if (!g_refine_pending || now_ns < kRefineAfterNs) return;
  g_refine_pending = false;
  hw::ReferenceSample now;
  if (!hw::reference_sample(&now)) return;
  const uint64_t hz =
      frequency_from_samples(now.counter - g_calibration_sample.counter,
                             now.reference - g_calibration_sample.reference, now.reference_hz);
  // A disagreement over 1% means a broken sample, not a better one: keep the boot value.
  if (!within_percent(hz, g_counter_hz, 1)) return;
  const uint64_t ns = monotonic_ns();
  g_counter_base = hw::read_counter();
  g_ns_base = ns;
  g_counter_hz = hz;
  g_counter_to_ns = Scale::from_ratio(kNsPerSecond, hz);
  g_ns_to_counter = Scale::from_ratio(hz, kNsPerSecond);
  g_refined = true;
}

// The timer interrupt: fire the handler once the deadline passed, re-arm if the hardware fired
// early (one-shot range clamp, periodic tick), ignore a stale interrupt after cancel_timer.
void on_timer_interrupt() {
  const uint64_t deadline = g_deadline_ns;
  if (deadline == kNoDeadline) {
    hw::timer_stop();
    return;
  }
  const uint64_t now = monotonic_ns();
  refine_if_due(now);
  if (now < deadline) {
    if (g_mode != hw::TimerMode::Periodic) program(deadline);
    return;
  }
  g_deadline_ns = kNoDeadline;
  hw::timer_stop();
  if (g_handler != nullptr) g_handler(now);
}

}  // namespace

void init(TimerChoice timer, ClockReference reference) {
  const hw::CounterCalibration calibration =
      hw::calibrate_counter(reference == ClockReference::Best);
  if (calibration.hz == 0)
    panic("time: cannot calibrate the TSC against %s", calibration.reference);
  g_counter_hz = calibration.hz;
  g_counter_to_ns = Scale::from_ratio(kNsPerSecond, g_counter_hz);
  g_ns_to_counter = Scale::from_ratio(g_counter_hz, kNsPerSecond);
  g_counter_base = hw::read_counter();
  g_refine_pending = hw::reference_sample(&g_calibration_sample);
  const hw::TimerPreference preference =
      timer == TimerChoice::Periodic  ? hw::TimerPreference::Periodic
      : timer == TimerChoice::OneShot ? hw::TimerPreference::OneShot
                                      : hw::TimerPreference::Best;
  g_mode = hw::timer_init(preference, g_counter_hz, on_timer_interrupt);
  kprintf("time: tsc_hz=%lu calibrated_against=%s timer=%s timer_hz=%lu invariant_tsc=%s\n",
          g_counter_hz, calibration.reference, hw::timer_mode_name(g_mode), hw::timer_hz(),
          calibration.invariant ? "yes" : "no");
}

uint64_t monotonic_ns() {
  const uint64_t ns = g_ns_base + g_counter_to_ns.apply(hw::read_counter() - g_counter_base);
  // Never backwards, even if counters of different CPUs disagree slightly: hand out at least
  // the largest value seen so far.
  uint64_t last = __atomic_load_n(&g_last_ns, __ATOMIC_RELAXED);
  while (ns > last) {
    if (__atomic_compare_exchange_n(&g_last_ns, &last, ns, true, __ATOMIC_RELAXED,
                                    __ATOMIC_RELAXED)) {
      return ns;
    }
  }
  return last;
}

uint64_t tsc_hz() { return g_counter_hz; }
bool tsc_refined() { return g_refined; }

void set_timer_handler(TimerHandler handler) {
  irq::InterruptGuard guard;
  g_handler = handler;
}

void arm_timer(uint64_t deadline_ns) {
  irq::InterruptGuard guard;
  g_deadline_ns = deadline_ns;
  refine_if_due(monotonic_ns());
  if (deadline_ns == kNoDeadline) {
    hw::timer_stop();
    return;
  }
  program(deadline_ns);
}

void cancel_timer() {
  irq::InterruptGuard guard;
  g_deadline_ns = kNoDeadline;
  hw::timer_stop();
}

void spin_ns(uint64_t ns) {
  const uint64_t end = deadline_after(monotonic_ns(), ns);
  while (monotonic_ns() < end) hw::cpu_relax();
}

}  // namespace kernel::time
