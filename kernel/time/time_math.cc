// Portable time arithmetic (see time_math.h).
#include "time/time_math.h"

namespace kernel::time {

uint64_t mul_div(uint64_t a, uint64_t b, uint64_t c) {
  if (c == 0) return UINT64_MAX;
  const unsigned __int128 product = static_cast<unsigned __int128>(a) * b;
  const uint64_t high = static_cast<uint64_t>(product >> 64);
  if (high >= c) return UINT64_MAX;  // the quotient needs more than 64 bits
  // Restoring division of the 128-bit product by c, one bit at a time. The remainder stays
  // below c, so `remainder << 1 | bit` needs 65 bits: the top bit is tracked in `carry`.
  uint64_t remainder = high;
  uint64_t quotient = 0;
  const uint64_t low = static_cast<uint64_t>(product);
  for (int bit = 63; bit >= 0; --bit) {
    const bool carry = (remainder >> 63) != 0;
    remainder = (remainder << 1) | ((low >> bit) & 1);
    quotient <<= 1;
    if (carry || remainder >= c) {
      remainder -= c;
      quotient |= 1;
    }
  }
  return quotient;
}

Scale Scale::from_ratio(uint64_t num, uint64_t den) {
  Scale scale;
  for (uint32_t shift = 63;; --shift) {
    const uint64_t mult = mul_div(num, uint64_t{1} << shift, den);
    if (mult < (uint64_t{1} << 63) || shift == 0) {
      scale.mult = mult;
      scale.shift = shift;
      return scale;
    }
  }
}

uint64_t ns_to_timer_ticks(uint64_t ns, uint64_t hz, uint64_t max_ticks) {
  // ceil(ns * hz / 1e9) = floor((ns * hz + 1e9 - 1) / 1e9), done as floor + (remainder != 0).
  uint64_t ticks = mul_div(ns, hz, kNsPerSecond);
  if (ticks != UINT64_MAX) {
    const unsigned __int128 exact = static_cast<unsigned __int128>(ticks) * kNsPerSecond;
    if (exact < static_cast<unsigned __int128>(ns) * hz) ++ticks;
  }
  if (ticks < 1) ticks = 1;
  if (ticks > max_ticks) ticks = max_ticks;
  return ticks;
}

}  // namespace kernel::time
