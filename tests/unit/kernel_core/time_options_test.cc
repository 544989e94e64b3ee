// Host tests of the interrupt/time command-line options: ktest=time, timer=, clock=.
#include "lib/cmdline.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kernel {
namespace {

struct Warnings {
  std::vector<std::string> words;
  static void collect(void* context, const CmdlineWord& word, const char*) {
    static_cast<Warnings*>(context)->words.emplace_back(word.text.data(), word.text.size());
  }
};

TEST(TimeOptions, DefaultsAreBestAndNoTest) {
  const KernelOptions o = parse_kernel_options("test", nullptr, nullptr);
  EXPECT_EQ(o.ktest.size(), 0u);
  EXPECT_EQ(o.timer, TimerOption::Best);
  EXPECT_FALSE(o.clock_pit);
}

TEST(TimeOptions, ParsesKtestTimerAndClock) {
  Warnings w;
  const KernelOptions o =
      parse_kernel_options("test ktest=time timer=periodic clock=pit", Warnings::collect, &w);
  EXPECT_TRUE(o.test);
  EXPECT_TRUE(o.ktest == "time");
  EXPECT_EQ(o.timer, TimerOption::Periodic);
  EXPECT_TRUE(o.clock_pit);
  EXPECT_TRUE(w.words.empty());
  EXPECT_EQ(parse_kernel_options("timer=oneshot", nullptr, nullptr).timer, TimerOption::OneShot);
}

TEST(TimeOptions, UnknownValuesWarnAndKeepDefaults) {
  Warnings w;
  const KernelOptions o = parse_kernel_options("timer=fast clock=rtc ktest", Warnings::collect, &w);
  EXPECT_EQ(o.ktest.size(), 0u);
  EXPECT_EQ(o.timer, TimerOption::Best);
  EXPECT_FALSE(o.clock_pit);
  EXPECT_EQ(w.words, (std::vector<std::string>{"timer=fast", "clock=rtc", "ktest"}));
}

}  // namespace
}  // namespace kernel
