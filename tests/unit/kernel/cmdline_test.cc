// Host tests of command-line tokenizing and kernel option parsing.
#include "lib/cmdline.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using kernel::FaultInjection;

std::string str(kernel::StringView v) { return std::string(v.data(), v.size()); }

struct Warnings {
  std::vector<std::string> words;
  static void collect(void* context, const kernel::CmdlineWord& word, const char*) {
    static_cast<Warnings*>(context)->words.push_back(str(word.text));
  }
};

TEST(Cmdline, TokenizesKeysAndValues) {
  kernel::CmdlineTokenizer tokens("  halt\tfault=ud  a=b=c x= ");
  kernel::CmdlineWord word;
  ASSERT_TRUE(tokens.next(&word));
  EXPECT_EQ(str(word.key), "halt");
  EXPECT_FALSE(word.has_value);
  ASSERT_TRUE(tokens.next(&word));
  EXPECT_EQ(str(word.key), "fault");
  EXPECT_EQ(str(word.value), "ud");
  ASSERT_TRUE(tokens.next(&word));
  EXPECT_EQ(str(word.key), "a");
  EXPECT_EQ(str(word.value), "b=c");
  ASSERT_TRUE(tokens.next(&word));
  EXPECT_EQ(str(word.key), "x");
  EXPECT_TRUE(word.has_value);
  EXPECT_TRUE(word.value.empty());
  EXPECT_FALSE(tokens.next(&word));
}

TEST(Cmdline, EmptyLine) {
  kernel::CmdlineTokenizer tokens("");
  kernel::CmdlineWord word;
  EXPECT_FALSE(tokens.next(&word));
  Warnings warnings;
  const auto options = kernel::parse_kernel_options("", Warnings::collect, &warnings);
  EXPECT_FALSE(options.halt);
  EXPECT_FALSE(options.test);
  EXPECT_EQ(options.fault, FaultInjection::None);
  EXPECT_TRUE(warnings.words.empty());
}

TEST(Cmdline, ParsesKnownOptions) {
  Warnings warnings;
  const auto options =
      kernel::parse_kernel_options("test halt fault=pf", Warnings::collect, &warnings);
  EXPECT_TRUE(options.test);
  EXPECT_TRUE(options.halt);
  EXPECT_EQ(options.fault, FaultInjection::PageFault);
  EXPECT_TRUE(warnings.words.empty());
  EXPECT_EQ(kernel::parse_kernel_options("fault=ud", nullptr, nullptr).fault,
            FaultInjection::InvalidOpcode);
  EXPECT_EQ(kernel::parse_kernel_options("fault=gp", nullptr, nullptr).fault,
            FaultInjection::GeneralProtection);
  EXPECT_EQ(kernel::parse_kernel_options("fault=de", nullptr, nullptr).fault,
            FaultInjection::DivideError);
}

TEST(Cmdline, ParsesKtestSuite) {
  Warnings warnings;
  const auto options =
      kernel::parse_kernel_options("test ktest=mm ktest", Warnings::collect, &warnings);
  EXPECT_EQ(str(options.ktest), "mm");
  EXPECT_EQ(warnings.words, (std::vector<std::string>{"ktest"}));
  EXPECT_EQ(kernel::parse_kernel_options("test", nullptr, nullptr).ktest.size(), 0u);
}

TEST(Cmdline, WarnsAboutUnknownWords) {
  Warnings warnings;
  const auto options = kernel::parse_kernel_options("quiet test=1 fault=xx halting test",
                                                    Warnings::collect, &warnings);
  EXPECT_TRUE(options.test);
  EXPECT_FALSE(options.halt);
  EXPECT_EQ(options.fault, FaultInjection::None);
  EXPECT_EQ(warnings.words, (std::vector<std::string>{"quiet", "test=1", "fault=xx", "halting"}));
}

TEST(StringView, ParsesNumbers) {
  uint64_t value = 0;
  EXPECT_TRUE(kernel::StringView("1234").to_u64(&value));
  EXPECT_EQ(value, 1234u);
  EXPECT_TRUE(kernel::StringView("0xFFff").to_u64(&value));
  EXPECT_EQ(value, 0xffffu);
  EXPECT_TRUE(kernel::StringView("18446744073709551615").to_u64(&value));
  EXPECT_EQ(value, UINT64_MAX);
  EXPECT_FALSE(kernel::StringView("18446744073709551616").to_u64(&value));
  EXPECT_FALSE(kernel::StringView("0x").to_u64(&value));
  EXPECT_FALSE(kernel::StringView("12a").to_u64(&value));
  EXPECT_FALSE(kernel::StringView("").to_u64(&value));
}

TEST(StringView, Basics) {
  const kernel::StringView v("fault=ud");
  EXPECT_TRUE(v.starts_with("fault"));
  EXPECT_FALSE(v.starts_with("faults=ud!"));
  EXPECT_EQ(v.find('='), 5u);
  EXPECT_EQ(v.find('x'), v.size());
  EXPECT_EQ(str(v.substr(6)), "ud");
  EXPECT_EQ(str(v.substr(100)), "");
}

}  // namespace
