// prio: arg 0 = a low-priority CPU hog for 200 ms; arg 1 = a high-priority sleeper that sleeps
// 30 ms and exits with its wake-up latency in microseconds (how late it ran after its deadline).
#include "mu_user.h"

using namespace mu::user;

extern "C" int64_t mu_main(const StartInfo* info) {
  if (info->arg == 0) {
    const uint64_t start = clock_ns();
    uint64_t count = 0;
    while (clock_ns() - start < 200ULL * 1000 * 1000) ++count;
    print("prio: hog done count=%lu\n", count);
    return 0;
  }
  const uint64_t deadline = clock_ns() + 30ULL * 1000 * 1000;
  (void)sleep_ns(30ULL * 1000 * 1000);
  const uint64_t latency_us = (clock_ns() - deadline) / 1000;
  print("prio: sleeper woke %luus after its deadline\n", latency_us);
  return static_cast<int64_t>(latency_us);
}
