// Deliberate exceptions for the system tests of the trap path (command line fault=ud|pf|gp|de).
#pragma once

#include "lib/cmdline.h"

namespace kernel {

// Raises `kind` three named call levels deep so the backtrace has several symbolized frames.
// Returns only for FaultInjection::None.
void inject_fault(FaultInjection kind);

}  // namespace kernel
