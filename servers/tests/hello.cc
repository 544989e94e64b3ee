// hello: the smallest program init starts. Prints its arguments through the console client and
// exits 0 (system tests look for "hello: argc=N" and one "hello: argv[i]=..." line each).
#include "mu_client.h"
#include "mu_runtime.h"
#include "mu_user.h"

using namespace mu::user;

extern "C" int64_t mu_main(const StartInfo*) {
  const mu::ProgramStart* start = program_start();
  const uint64_t argc = start != nullptr ? start->argc : 0;
  console_print("hello: argc=%lu\n", argc);
  for (uint64_t i = 0; i < argc; ++i) {
    const char* arg = program_arg(i);
    console_print("hello: argv[%lu]=%s\n", i, arg != nullptr ? arg : "(bad)");
  }
  return 0;
}
