// faulter: reads address 0x10, which is never mapped, so the kernel reports a page fault (#PF,
// vector 14) to init, which records the program as faulted.
#include "mu_client.h"
#include "mu_user.h"

using namespace mu::user;

int* volatile g_near_null = reinterpret_cast<int*>(0x10);

extern "C" int64_t mu_main(const StartInfo*) {
  console_print("faulter: reading address 0x10\n");
  return *g_near_null;
}
