// crash_privileged: executes hlt, a ring-0 instruction; the kernel must stop it with #GP.
#include "mu_user.h"

extern "C" int64_t mu_main(const mu::user::StartInfo*) {
  mu::user::print("crash_privileged: executing hlt\n");
  asm volatile("hlt");
  return 0;
}
