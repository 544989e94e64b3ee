// Tests for the portable time arithmetic: exact mul_div, fixed-point scales, calibration and
// deadline helpers.
#include "time/time_math.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>

namespace kernel::time {
namespace {

using u128 = unsigned __int128;

uint64_t reference_mul_div(uint64_t a, uint64_t b, uint64_t c) {
  const u128 q = static_cast<u128>(a) * b / c;
  return (q >> 64) != 0 ? UINT64_MAX : static_cast<uint64_t>(q);
}

TEST(MulDiv, SmallValues) {
  EXPECT_EQ(mul_div(6, 7, 3), 14u);
  EXPECT_EQ(mul_div(0, 7, 3), 0u);
  EXPECT_EQ(mul_div(10, 1, 3), 3u);  // floor
}

TEST(MulDiv, ProductOverflowing64Bits) {
  // 3 GHz counter running for 10 years, to nanoseconds: the product needs ~97 bits.
  const uint64_t hz = 3'000'000'000;
  const uint64_t ticks = hz * 60 * 60 * 24 * 365 * 10;
  EXPECT_EQ(mul_div(ticks, kNsPerSecond, hz), 10ULL * 365 * 24 * 60 * 60 * kNsPerSecond);
  EXPECT_EQ(mul_div(UINT64_MAX, UINT64_MAX, UINT64_MAX), UINT64_MAX);
  EXPECT_EQ(mul_div(UINT64_MAX, 3, 4), reference_mul_div(UINT64_MAX, 3, 4));
}

TEST(MulDiv, SaturatesAndRefusesZeroDivisor) {
  EXPECT_EQ(mul_div(UINT64_MAX, 2, 1), UINT64_MAX);
  EXPECT_EQ(mul_div(1, 1, 0), UINT64_MAX);
}

TEST(MulDiv, MatchesReferenceOnRandomInputs) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 100000; ++i) {
    const uint64_t a = rng() >> (rng() % 64);
    const uint64_t b = rng() >> (rng() % 64);
    uint64_t c = rng() >> (rng() % 64);
    if (c == 0) c = 1;
    ASSERT_EQ(mul_div(a, b, c), reference_mul_div(a, b, c)) << a << " " << b << " " << c;
  }
}

TEST(Scale, CounterToNanosecondsIsAccurate) {
  for (uint64_t hz : {1'193'182ULL, 14'318'180ULL, 62'500'000ULL, 2'112'000'000ULL,
                      3'000'000'000ULL, 5'400'000'000ULL}) {
    const Scale to_ns = Scale::from_ratio(kNsPerSecond, hz);
    // One second of ticks is one second, to within a nanosecond.
    EXPECT_NEAR(static_cast<double>(to_ns.apply(hz)), 1e9, 1.0) << hz;
    // A day of ticks (the product overflows 64 bits) within a microsecond.
    const uint64_t day = hz * 86400;
    EXPECT_NEAR(static_cast<double>(to_ns.apply(day)), 86400e9, 1000.0) << hz;
    // Never more than the exact value (floor), so clock reads cannot run ahead.
    EXPECT_LE(to_ns.apply(day), reference_mul_div(day, kNsPerSecond, hz));
  }
}

TEST(Scale, NanosecondsToCounter) {
  const Scale to_ticks = Scale::from_ratio(3'000'000'000ULL, kNsPerSecond);
  EXPECT_NEAR(static_cast<double>(to_ticks.apply(100'000'000)), 300e6, 1.0);
  EXPECT_EQ(to_ticks.apply(0), 0u);
}

TEST(Scale, SaturatesInsteadOfWrapping) {
  const Scale to_ticks = Scale::from_ratio(5'000'000'000ULL, kNsPerSecond);
  EXPECT_EQ(to_ticks.apply(UINT64_MAX), UINT64_MAX);
}

TEST(Scale, MonotonicInInput) {
  const Scale to_ns = Scale::from_ratio(kNsPerSecond, 2'893'312'000ULL);
  uint64_t previous = 0;
  for (uint64_t x = 0; x < 100000; x += 7) {
    const uint64_t v = to_ns.apply(x);
    ASSERT_GE(v, previous);
    previous = v;
  }
}

TEST(Calibration, FrequencyFromSamples) {
  // TSC advanced 150,000,000 while the PIT counted 59659 (50 ms): 3.0 GHz.
  EXPECT_NEAR(static_cast<double>(frequency_from_samples(150'000'000, 59659, 1'193'182)),
              150e6 * 1193182.0 / 59659.0, 1.0);
  EXPECT_EQ(frequency_from_samples(1, 0, 1'193'182), 0u);
  // HPET at QEMU's 10 ns period (100 MHz) and the usual 69.841279 ns (14.318 MHz).
  EXPECT_EQ(hpet_hz_from_period_fs(10'000'000), 100'000'000u);
  EXPECT_EQ(hpet_hz_from_period_fs(69'841'279), 14'318'179u);  // floor of 14318179.99
  EXPECT_EQ(hpet_hz_from_period_fs(0), 0u);
}

TEST(TimerTicks, RoundsUpAndClamps) {
  // 62.5 MHz: 16 ns per tick. 100 ms is exactly 6,250,000 ticks.
  EXPECT_EQ(ns_to_timer_ticks(100'000'000, 62'500'000, 0xFFFFFFFF), 6'250'000u);
  EXPECT_EQ(ns_to_timer_ticks(17, 62'500'000, 0xFFFFFFFF), 2u);  // 1.06 ticks -> 2, never early
  EXPECT_EQ(ns_to_timer_ticks(0, 62'500'000, 0xFFFFFFFF), 1u);   // at least one tick
  EXPECT_EQ(ns_to_timer_ticks(UINT64_MAX, 62'500'000, 0xFFFFFFFF), 0xFFFFFFFFu);
  EXPECT_EQ(ns_to_timer_ticks(100 * kNsPerSecond, 62'500'000, 0xFFFFFFFF), 0xFFFFFFFFu);
}

TEST(Deadlines, Arithmetic) {
  EXPECT_EQ(ns_until(100, 40), 60u);
  EXPECT_EQ(ns_until(100, 100), 0u);
  EXPECT_EQ(ns_until(100, 140), 0u);
  EXPECT_EQ(deadline_after(10, 5), 15u);
  EXPECT_EQ(deadline_after(UINT64_MAX - 1, 5), UINT64_MAX);
  EXPECT_TRUE(within_percent(109'999'999, 100'000'000, 10));
  EXPECT_TRUE(within_percent(90'000'000, 100'000'000, 10));
  EXPECT_FALSE(within_percent(110'000'001, 100'000'000, 10));
  EXPECT_FALSE(within_percent(89'999'999, 100'000'000, 10));
}

}  // namespace
}  // namespace kernel::time
