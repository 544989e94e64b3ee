// sleep: sleeps 100 ms and exits with the duration the monotonic clock measured, in microseconds.
#include "mu_user.h"

using namespace mu::user;

extern "C" int64_t mu_main(const StartInfo*) {
  const uint64_t start = clock_ns();
  (void)sleep_ns(100ULL * 1000 * 1000);
  const uint64_t slept_us = (clock_ns() - start) / 1000;
  print("sleep: asked 100000us, measured %luus\n", slept_us);
  return static_cast<int64_t>(slept_us);
}
