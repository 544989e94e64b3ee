// Host tests of the scheduler and user-space options on the kernel command line.
#include "lib/cmdline.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

std::string str(kernel::StringView v) { return std::string(v.data(), v.size()); }

struct Warnings {
  std::vector<std::string> words;
  static void collect(void* context, const kernel::CmdlineWord& word, const char*) {
    static_cast<Warnings*>(context)->words.push_back(str(word.text));
  }
};

TEST(SchedOptions, Defaults) {
  const auto options = kernel::parse_kernel_options("test", nullptr, nullptr);
  EXPECT_EQ(str(options.init_path), "/sbin/init");
  EXPECT_EQ(options.timeslice_ms, 10u);
  EXPECT_FALSE(options.bench);
  EXPECT_TRUE(options.utest.empty());
}

TEST(SchedOptions, ParsesInitTimesliceUtestAndBench) {
  Warnings warnings;
  const auto options = kernel::parse_kernel_options(
      "init=/tests/spin timeslice_ms=25 utest=prio,sleep bench", Warnings::collect, &warnings);
  EXPECT_EQ(str(options.init_path), "/tests/spin");
  EXPECT_EQ(options.timeslice_ms, 25u);
  EXPECT_EQ(str(options.utest), "prio,sleep");
  EXPECT_TRUE(options.bench);
  EXPECT_TRUE(warnings.words.empty());
}

TEST(SchedOptions, RejectsBadValuesAndKeepsDefaults) {
  Warnings warnings;
  const auto options = kernel::parse_kernel_options(
      "timeslice_ms=0 timeslice_ms=1001 timeslice_ms=abc init=relative bench=1 utest",
      Warnings::collect, &warnings);
  EXPECT_EQ(options.timeslice_ms, 10u);
  EXPECT_EQ(str(options.init_path), "/sbin/init");
  EXPECT_FALSE(options.bench);
  EXPECT_EQ(warnings.words,
            (std::vector<std::string>{"timeslice_ms=0", "timeslice_ms=1001", "timeslice_ms=abc",
                                      "init=relative", "bench=1", "utest"}));
}

}  // namespace
