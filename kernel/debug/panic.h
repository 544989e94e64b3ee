// panic() and the policy for stopping after a fatal error (halt, or fail the QEMU test run).
#pragma once

#include <stdint.h>

#include "lib/format.h"

namespace kernel {

// In test mode a fatal error leaves QEMU with a failure status instead of halting.
void set_test_mode(bool enabled);
[[nodiscard]] bool test_mode();

// Stops after a fatal error: test mode exits QEMU with status 1 (isa-debug-exit), otherwise
// (or if that device is absent) prints "kernel: halted" and halts.
[[noreturn]] void stop_on_failure();

// Prints "  #0 <instruction_pointer>" then the callers found by walking the rbp chain.
void print_backtrace(OutputSink sink, uint64_t instruction_pointer, uint64_t frame_pointer);

// Reports a kernel bug with the caller's registers and a backtrace, then stops.
[[noreturn]] void panic(const char* format, ...) __attribute__((format(printf, 1, 2)));

}  // namespace kernel
