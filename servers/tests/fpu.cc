// fpu: checks that x87/SSE registers survive switches to other programs. Two copies run at one
// priority with different seeds; each keeps a value in xmm7 and on the x87 stack across yields
// and across a CPU-bound stretch long enough to be preempted. Exits with the number of mismatches.
#include "mu_user.h"

using namespace mu::user;

extern "C" int64_t mu_main(const StartInfo* info) {
  const uint64_t seed = info->arg;
  int64_t mismatches = 0;
  for (uint64_t round = 0; round < 200; ++round) {
    const uint64_t value = seed * 0x9E3779B97F4A7C15ULL + round;
    asm volatile("movq %0, %%xmm7" : : "r"(value) : "xmm7");
    asm volatile("fildll %0" : : "m"(value));
    if (round % 50 == 0) {
      const uint64_t start = clock_ns();
      while (clock_ns() - start < 15ULL * 1000 * 1000) {
      }
    } else {
      yield();
    }
    uint64_t sse = 0, x87 = 0;
    asm volatile("movq %%xmm7, %0" : "=r"(sse));
    asm volatile("fistpll %0" : "=m"(x87));
    if (sse != value || x87 != value) ++mismatches;
  }
  print("fpu %lu: %ld mismatches in 200 rounds\n", seed, mismatches);
  return mismatches;
}
