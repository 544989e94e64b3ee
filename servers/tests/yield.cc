// yield: the yield_switch benchmark partner. Yields arg times and exits with the TSC ticks
// (instructions under -icount) the loop took.
#include "mu_user.h"

using namespace mu::user;

extern "C" int64_t mu_main(const StartInfo* info) {
  const uint64_t start = rdtsc();
  for (uint64_t i = 0; i < info->arg; ++i) yield();
  return static_cast<int64_t>(rdtsc() - start);
}
