// spin: a CPU-bound program for the preemption tests. arg = tag | duration_ms << 8. It counts
// loop iterations for duration_ms of wall time, prints progress every 50 ms, and exits with the
// number of times it saw a gap of more than 1 ms between two clock reads (it was preempted).
#include "mu_user.h"

using namespace mu::user;

extern "C" int64_t mu_main(const StartInfo* info) {
  const char tag = static_cast<char>(info->arg & 0xFF);
  const uint64_t duration_ns = (info->arg >> 8) * 1000 * 1000;
  const uint64_t start = clock_ns();
  uint64_t last = start, next_report = start + 50 * 1000 * 1000;
  uint64_t count = 0, gaps = 0;
  for (;;) {
    const uint64_t now = clock_ns();
    if (now - last > 1000 * 1000) ++gaps;
    last = now;
    ++count;
    if (now >= next_report) {
      print("spin %c: t=%lums count=%lu preempted=%lu\n", tag, (now - start) / 1000000, count,
            gaps);
      next_report += 50 * 1000 * 1000;
      last = clock_ns();  // the console write is not a preemption
    }
    if (now - start >= duration_ns) break;
  }
  print("spin %c: done count=%lu preempted=%lu\n", tag, count, gaps);
  return static_cast<int64_t>(gaps);
}
