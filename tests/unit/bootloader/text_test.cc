// Host tests for muboot's message formatting (bootloader/src/text.cc).
#include "text.h"

#include <gtest/gtest.h>

#include <string>

namespace muboot {
namespace {

TEST(LineBufferTest, FormatsNumbers) {
  LineBuffer line;
  line.str("a=")
      .dec(0)
      .str(" b=")
      .dec(18446744073709551615ULL)
      .str(" c=")
      .hex(0)
      .str(" d=")
      .hex(0xffffffff80000000ULL);
  EXPECT_STREQ(line.c_str(), "a=0 b=18446744073709551615 c=0x0 d=0xffffffff80000000");
}

TEST(LineBufferTest, Utf16AndControlCharacters) {
  LineBuffer line;
  line.utf16(u"k\u00e9y").chr('\x1b').str("\n");
  EXPECT_STREQ(line.c_str(), "k?y??");
}

TEST(LineBufferTest, TruncationIsMarked) {
  LineBuffer line;
  const std::string long_text(1000, 'x');
  line.str(long_text.c_str()).str("more");
  EXPECT_TRUE(line.truncated());
  EXPECT_LE(line.length(), LineBuffer::kCapacity);
  EXPECT_EQ(std::string(line.c_str()).substr(line.length() - 3), "...");
}

TEST(StringHelpersTest, CopyAlwaysTerminates) {
  char out[4];
  str_copy(out, sizeof(out), "abcdef");
  EXPECT_STREQ(out, "abc");
  EXPECT_EQ(str_length("abc"), 3u);
  EXPECT_TRUE(str_equal("x", "x"));
  EXPECT_FALSE(str_equal("x", "xy"));
}

}  // namespace
}  // namespace muboot
