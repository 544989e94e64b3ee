// Kernel command line: space-separated words, each `key` or `key=value`.
#pragma once

#include <stddef.h>

#include "lib/string.h"

namespace kernel {

struct CmdlineWord {
  StringView key;
  StringView value;  // empty when the word has no '='
  bool has_value = false;
  StringView text;  // the whole word, for messages
};

// Splits a command line into words without copying; runs of spaces and tabs separate words.
class CmdlineTokenizer {
 public:
  explicit CmdlineTokenizer(StringView line) : line_(line) {}
  // Fills `word` and returns true, or returns false at the end.
  [[nodiscard]] bool next(CmdlineWord* word);

 private:
  StringView line_;
  size_t pos_ = 0;
};

// Which exception the `fault=` option raises after the boot report (system tests of the trap path).
enum class FaultInjection {
  None,
  InvalidOpcode,
  PageFault,
  GeneralProtection,
  DivideError,
  StackOverflow,  // recursion on a guarded kernel stack: the guard page turns it into #DF
};

// `timer=`: force a timer mode (for testing the fallbacks); default: the best the CPU offers.
enum class TimerOption { Best, OneShot, Periodic };

struct KernelOptions {
  bool halt = false;  // `halt`: stop after the report instead of powering off
  bool test = false;  // `test`: leave QEMU through isa-debug-exit with a status
  FaultInjection fault = FaultInjection::None;
  StringView init_path = "/sbin/init";  // `init=/path`: the first user program
  uint64_t timeslice_ms = 10;           // `timeslice_ms=N` (1..1000): round-robin quantum
  // Words for init, not the kernel (init reads the whole command line): `utest=a,b|all`, `bench`.
  bool bench = false;
  StringView utest;
  TimerOption timer = TimerOption::Best;  // `timer=oneshot|periodic`
  bool clock_pit = false;  // `clock=pit`: calibrate the TSC against the PIT even with an HPET
  StringView ktest;  // `ktest=<suite>`: run a kernel self test ("mm", "time") after the report
};

// Receives words the parser did not understand (for a warning line).
using CmdlineWarning = void (*)(void* context, const CmdlineWord& word, const char* why);

// Parses the options the kernel knows. Unknown or malformed words go to `warn` and are ignored.
[[nodiscard]] KernelOptions parse_kernel_options(StringView line, CmdlineWarning warn,
                                                 void* context);

}  // namespace kernel
