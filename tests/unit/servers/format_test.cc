// format()/vformat() of the user runtime (servers/lib/format.cc).
#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <string>

#include "mu_runtime.h"

using mu::user::format;

namespace {

// Formats into a roomy buffer and checks that the return value is the output's length.
template <typename... Args>
std::string fmt(const char* f, Args... args) {
  char buf[256];
  const size_t n = format(buf, sizeof(buf), f, args...);
  EXPECT_EQ(n, std::string(buf).size());
  return buf;
}

TEST(Format, PlainTextAndPercent) {
  EXPECT_EQ(fmt("hello"), "hello");
  EXPECT_EQ(fmt("100%%"), "100%");
  EXPECT_EQ(fmt(""), "");
}

TEST(Format, Strings) {
  EXPECT_EQ(fmt("[%s]", "abc"), "[abc]");
  EXPECT_EQ(fmt("[%8s]", "abc"), "[     abc]");
  EXPECT_EQ(fmt("[%-8s]", "abc"), "[abc     ]");
  EXPECT_EQ(fmt("[%-12s|", "console"), "[console     |");
  EXPECT_EQ(fmt("[%2s]", "abcdef"), "[abcdef]");  // width never cuts
  EXPECT_EQ(fmt("[%.3s]", "abcdef"), "[abc]");
  EXPECT_EQ(fmt("[%.*s]", 2, "abcdef"), "[ab]");
  EXPECT_EQ(fmt("[%s]", static_cast<const char*>(nullptr)), "[(null)]");
}

TEST(Format, Chars) {
  EXPECT_EQ(fmt("%c%c", 'o', 'k'), "ok");
  EXPECT_EQ(fmt("[%3c]", 'x'), "[  x]");
  EXPECT_EQ(fmt("[%-3c]", 'x'), "[x  ]");
}

TEST(Format, SignedDecimal) {
  EXPECT_EQ(fmt("%d", 0), "0");
  EXPECT_EQ(fmt("%d", -42), "-42");
  EXPECT_EQ(fmt("%d", INT_MIN), "-2147483648");
  EXPECT_EQ(fmt("%ld", static_cast<long>(INT64_MIN)), "-9223372036854775808");
  EXPECT_EQ(fmt("%lld", static_cast<long long>(INT64_MAX)), "9223372036854775807");
  EXPECT_EQ(fmt("%i", 7), "7");
  EXPECT_EQ(fmt("[%5d]", -42), "[  -42]");
  EXPECT_EQ(fmt("[%-5d]", -42), "[-42  ]");
  EXPECT_EQ(fmt("[%05d]", -42), "[-0042]");
}

TEST(Format, Unsigned) {
  EXPECT_EQ(fmt("%u", 4000000000u), "4000000000");
  EXPECT_EQ(fmt("%lu", static_cast<unsigned long>(UINT64_MAX)), "18446744073709551615");
  EXPECT_EQ(fmt("[%8lu]", 123ul), "[     123]");
  EXPECT_EQ(fmt("%zu", static_cast<size_t>(99)), "99");
}

TEST(Format, Hex) {
  EXPECT_EQ(fmt("%x", 255u), "ff");
  EXPECT_EQ(fmt("%04x", 0xau), "000a");
  EXPECT_EQ(fmt("%lx", 0xdeadbeefcafeul), "deadbeefcafe");
  EXPECT_EQ(fmt("%llx", static_cast<unsigned long long>(UINT64_MAX)), "ffffffffffffffff");
  EXPECT_EQ(fmt("[%-6x]", 0x1fu), "[1f    ]");
  EXPECT_EQ(fmt("[%-06x]", 0x1fu), "[1f    ]");  // '-' wins over '0'
}

TEST(Format, Pointer) {
  EXPECT_EQ(fmt("%p", reinterpret_cast<void*>(0x1000)), "0x1000");
  EXPECT_EQ(fmt("%p", static_cast<void*>(nullptr)), "0x0");
  EXPECT_EQ(fmt("[%10p]", reinterpret_cast<void*>(0xab)), "[      0xab]");
  EXPECT_EQ(fmt("[%010p]", reinterpret_cast<void*>(0xab)), "[0x000000ab]");
}

TEST(Format, StarWidth) {
  EXPECT_EQ(fmt("[%*d]", 4, 7), "[   7]");
  EXPECT_EQ(fmt("[%*d]", -4, 7), "[7]");  // a negative width counts as none
}

TEST(Format, UnknownConversionIsCopied) {
  EXPECT_EQ(fmt("a%qb"), "a%qb");
  EXPECT_EQ(fmt("end%"), "end%");
  EXPECT_EQ(fmt("%5q"), "%5q");
}

TEST(Format, TruncatesAndReturnsFullLength) {
  char buf[8];
  memset(buf, 'X', sizeof(buf));
  EXPECT_EQ(format(buf, sizeof(buf), "%s-%d", "abcdef", 12345), 12u);
  EXPECT_STREQ(buf, "abcdef-");
  EXPECT_EQ(format(buf, 1, "abc"), 3u);
  EXPECT_STREQ(buf, "");
  buf[0] = 'Z';
  EXPECT_EQ(format(buf, 0, "abc"), 3u);
  EXPECT_EQ(buf[0], 'Z');  // size 0: nothing written
  EXPECT_EQ(format(nullptr, 0, "%d", 1234), 4u);  // measuring only
}

TEST(Format, ExactFit) {
  char buf[4];
  EXPECT_EQ(format(buf, sizeof(buf), "abc"), 3u);
  EXPECT_STREQ(buf, "abc");
  EXPECT_EQ(format(buf, sizeof(buf), "abcd"), 4u);
  EXPECT_STREQ(buf, "abc");
}

}  // namespace
