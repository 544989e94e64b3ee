// Portable time arithmetic: exact a*b/c with a 128-bit product, fixed-point tick<->ns scales,
// calibration and deadline helpers. No hardware access; host-tested (tests/unit/kernel_core).
#pragma once

#include <stdint.h>

namespace kernel::time {

inline constexpr uint64_t kNsPerSecond = 1'000'000'000;
inline constexpr uint64_t kFsPerNs = 1'000'000;  // HPET periods are in femtoseconds

// floor(a * b / c) computed exactly over the 128-bit product, saturating at UINT64_MAX when the
// quotient does not fit (or c == 0). Software long division: the kernel links without libgcc,
// so no __udivti3. Costs ~128 iterations: for calibration, not for hot paths.
[[nodiscard]] uint64_t mul_div(uint64_t a, uint64_t b, uint64_t c);

// x * num / den as a multiply and a shift: value = (x * mult) >> shift over 128 bits. Built once
// from a ratio, applied on every clock read and timer arm.
struct Scale {
  uint64_t mult = 0;
  uint32_t shift = 0;

  // The most precise scale for num/den: the largest shift <= 63 with mult < 2^63.
  // Precondition: den != 0. A ratio too large for shift 0 saturates mult.
  [[nodiscard]] static Scale from_ratio(uint64_t num, uint64_t den);

  // Saturates at UINT64_MAX instead of wrapping.
  [[nodiscard]] uint64_t apply(uint64_t x) const {
    const unsigned __int128 product = static_cast<unsigned __int128>(x) * mult;
    const unsigned __int128 result = product >> shift;
    return (result >> 64) != 0 ? UINT64_MAX : static_cast<uint64_t>(result);
  }
};

// Frequency of a counter that advanced `counter_delta` while a reference of `ref_hz` advanced
// `ref_delta` (TSC against PIT or LAPIC against TSC). 0 when ref_delta is 0.
[[nodiscard]] inline uint64_t frequency_from_samples(uint64_t counter_delta, uint64_t ref_delta,
                                                     uint64_t ref_hz) {
  return ref_delta == 0 ? 0 : mul_div(counter_delta, ref_hz, ref_delta);
}

// HPET counter frequency from its period in femtoseconds (HPET spec 1.0a §2.3.4: <= 100 ns).
[[nodiscard]] inline uint64_t hpet_hz_from_period_fs(uint64_t period_fs) {
  return period_fs == 0 ? 0 : mul_div(kNsPerSecond, kFsPerNs, period_fs);
}

// Ticks of a `hz` counter after which `ns` nanoseconds have passed, rounded up so a timer never
// fires early; at least 1 and at most `max_ticks` (the width of the hardware counter).
[[nodiscard]] uint64_t ns_to_timer_ticks(uint64_t ns, uint64_t hz, uint64_t max_ticks);

// Nanoseconds left until `deadline_ns` at `now_ns` (0 when it has passed).
[[nodiscard]] constexpr uint64_t ns_until(uint64_t deadline_ns, uint64_t now_ns) {
  return deadline_ns > now_ns ? deadline_ns - now_ns : 0;
}

// now + delta without wrapping (a deadline "never" stays UINT64_MAX).
[[nodiscard]] constexpr uint64_t deadline_after(uint64_t now_ns, uint64_t delta_ns) {
  return delta_ns > UINT64_MAX - now_ns ? UINT64_MAX : now_ns + delta_ns;
}

// True when |measured - expected| <= expected * percent / 100.
[[nodiscard]] constexpr bool within_percent(uint64_t measured, uint64_t expected,
                                            uint64_t percent) {
  const uint64_t diff = measured > expected ? measured - expected : expected - measured;
  return diff <= expected / 100 * percent + (expected % 100) * percent / 100;
}

}  // namespace kernel::time
