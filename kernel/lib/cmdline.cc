// Command-line tokenizing and the kernel's option parsing.
#include "lib/cmdline.h"

namespace kernel {
namespace {
bool is_separator(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
}  // namespace

bool CmdlineTokenizer::next(CmdlineWord* word) {
  while (pos_ < line_.size() && is_separator(line_[pos_])) ++pos_;
  if (pos_ >= line_.size()) return false;
  const size_t start = pos_;
  while (pos_ < line_.size() && !is_separator(line_[pos_])) ++pos_;
  const StringView text = line_.substr(start, pos_ - start);
  const size_t eq = text.find('=');
  *word = CmdlineWord{};
  word->text = text;
  word->key = text.substr(0, eq);
  if (eq < text.size()) {
    word->has_value = true;
    word->value = text.substr(eq + 1);
  }
  return true;
}

KernelOptions parse_kernel_options(StringView line, CmdlineWarning warn, void* context) {
  KernelOptions options;
  CmdlineTokenizer tokens(line);
  CmdlineWord word;
  while (tokens.next(&word)) {
    if (word.key == "halt" && !word.has_value) {
      options.halt = true;
    } else if (word.key == "test" && !word.has_value) {
      options.test = true;
    } else if (word.key == "fault" && word.has_value) {
      if (word.value == "ud")
        options.fault = FaultInjection::InvalidOpcode;
      else if (word.value == "pf")
        options.fault = FaultInjection::PageFault;
      else if (word.value == "gp")
        options.fault = FaultInjection::GeneralProtection;
      else if (word.value == "de")
        options.fault = FaultInjection::DivideError;
      else if (word.value == "overflow")
        options.fault = FaultInjection::StackOverflow;
      else if (warn != nullptr)
        warn(context, word, "unknown fault kind (want ud|pf|gp|de|overflow)");
    } else if (word.key == "init" && word.has_value && word.value.starts_with("/")) {
      options.init_path = word.value;
    } else if (word.key == "timeslice_ms" && word.has_value) {
      uint64_t ms = 0;
      if (word.value.to_u64(&ms) && ms >= 1 && ms <= 1000) {
        options.timeslice_ms = ms;
      } else if (warn != nullptr) {
        warn(context, word, "want a number of milliseconds in 1..1000");
      }
    } else if (word.key == "bench" && !word.has_value) {
      options.bench = true;
    } else if (word.key == "utest" && word.has_value) {
      options.utest = word.value;
    } else if (word.key == "timer" && word.has_value) {
      if (word.value == "oneshot")
        options.timer = TimerOption::OneShot;
      else if (word.value == "periodic")
        options.timer = TimerOption::Periodic;
      else if (warn != nullptr)
        warn(context, word, "unknown timer mode (want oneshot|periodic)");
    } else if (word.key == "clock" && word.has_value) {
      if (word.value == "pit")
        options.clock_pit = true;
      else if (warn != nullptr)
        warn(context, word, "unknown clock reference (want pit)");
    } else if (word.key == "ktest" && word.has_value) {
      options.ktest = word.value;
    } else if (warn != nullptr) {
      warn(context, word, "unknown option");
    }
  }
  return options;
}

}  // namespace kernel
