// crash_stack_overflow: recurses until the stack runs into the unmapped guard page below it; the
// kernel must stop it with #PF there (mu::kUserStackTop - kUserStackPages pages - 1 page).
#include "mu_user.h"

namespace {

volatile uint64_t g_limit = ~0ULL;  // never reached; hides the endless recursion from the compiler

// Each frame touches 1 KiB so the overflow hits the guard page, not something beyond it.
uint64_t descend(uint64_t depth) {
  volatile uint8_t frame[1024];
  frame[sizeof(frame) - 1] = static_cast<uint8_t>(depth);
  frame[0] = static_cast<uint8_t>(depth);
  if (depth == g_limit) return 0;
  return descend(depth + 1) + frame[0];
}

}  // namespace

extern "C" int64_t mu_main(const mu::user::StartInfo*) {
  mu::user::print("crash_stack_overflow: recursing\n");
  return static_cast<int64_t>(descend(0));
}
