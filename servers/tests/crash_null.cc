// crash_null: reads through a NULL pointer; the kernel must stop it with #PF at address 0.
#include "mu_user.h"

int* volatile g_null = nullptr;

extern "C" int64_t mu_main(const mu::user::StartInfo*) {
  mu::user::print("crash_null: reading *NULL\n");
  return *g_null;
}
