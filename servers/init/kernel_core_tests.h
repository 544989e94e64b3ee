// The kernel-core user tests (`utest=`) and the `bench` yield benchmark, run through init's own
// program builder: init waits for a program by serving its endpoint until the program's exit or
// fault message arrives (tests/system/test_kernel_core.py).
#pragma once

#include <stdint.h>

#include "mu_user.h"

namespace init {

// Returns the number of failed tests.
int64_t run_kernel_core_tests(const char* list, uint64_t length);
void run_bench(const mu::user::StartInfo* info);

}  // namespace init
