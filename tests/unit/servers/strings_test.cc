// String helpers of the user runtime (servers/lib/strings.cc).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include "mu_runtime.h"
#include "mu_user.h"

using namespace mu::user;

namespace {

bool parse(const char* s, uint64_t* out) { return parse_u64(s, strlen(s), out); }

TEST(ParseU64, Decimal) {
  uint64_t v = 0;
  EXPECT_TRUE(parse("0", &v));
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(parse("512", &v));
  EXPECT_EQ(v, 512u);
  EXPECT_TRUE(parse("18446744073709551615", &v));
  EXPECT_EQ(v, UINT64_MAX);
  EXPECT_TRUE(parse("007", &v));
  EXPECT_EQ(v, 7u);
}

TEST(ParseU64, Hex) {
  uint64_t v = 0;
  EXPECT_TRUE(parse("0x3f8", &v));
  EXPECT_EQ(v, 0x3f8u);
  EXPECT_TRUE(parse("0XABCDEF", &v));
  EXPECT_EQ(v, 0xabcdefu);
  EXPECT_TRUE(parse("0xffffffffffffffff", &v));
  EXPECT_EQ(v, UINT64_MAX);
}

TEST(ParseU64, RejectsBadInputWithoutWriting) {
  uint64_t v = 77;
  EXPECT_FALSE(parse("", &v));
  EXPECT_FALSE(parse("0x", &v));
  EXPECT_FALSE(parse("12a", &v));
  EXPECT_FALSE(parse("ff", &v));  // hex digits need 0x
  EXPECT_FALSE(parse("-1", &v));
  EXPECT_FALSE(parse(" 1", &v));
  EXPECT_FALSE(parse("0x1g", &v));
  EXPECT_FALSE(parse("18446744073709551616", &v));  // 2^64
  EXPECT_FALSE(parse("99999999999999999999", &v));
  EXPECT_FALSE(parse("0x10000000000000000", &v));
  EXPECT_EQ(v, 77u);
}

TEST(ParseU64, UsesOnlyTheGivenLength) {
  uint64_t v = 0;
  EXPECT_TRUE(parse_u64("123xyz", 3, &v));
  EXPECT_EQ(v, 123u);
  EXPECT_TRUE(parse_u64("0x1f,", 4, &v));
  EXPECT_EQ(v, 0x1fu);
  EXPECT_FALSE(parse_u64("123", 0, &v));
}

TEST(Strings, Equal) {
  EXPECT_TRUE(string_equal("", ""));
  EXPECT_TRUE(string_equal("console", "console"));
  EXPECT_FALSE(string_equal("console", "consol"));
  EXPECT_FALSE(string_equal("consol", "console"));
  EXPECT_FALSE(string_equal("a", "b"));
}

TEST(Strings, CopyTruncatesAndTerminates) {
  char buf[4];
  EXPECT_EQ(copy_string(buf, sizeof(buf), "ab"), 2u);
  EXPECT_STREQ(buf, "ab");
  EXPECT_EQ(copy_string(buf, sizeof(buf), "abcdef"), 3u);
  EXPECT_STREQ(buf, "abc");
  buf[0] = 'Z';
  EXPECT_EQ(copy_string(buf, 0, "abc"), 0u);
  EXPECT_EQ(buf[0], 'Z');
  EXPECT_EQ(copy_string(buf, 1, "abc"), 0u);
  EXPECT_STREQ(buf, "");
}

TEST(Strings, LengthAndPrefix) {
  EXPECT_EQ(string_length(""), 0u);
  EXPECT_EQ(string_length("abc"), 3u);
  EXPECT_TRUE(starts_with("program=/bin", 12, "program="));
  EXPECT_FALSE(starts_with("prog", 4, "program="));
}

}  // namespace
