// Host tests of the kernel formatter against the C library's snprintf.
#include "lib/format.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace {

using kernel::format_buffer;

template <typename... Args>
void expect_like_libc(const char* fmt, Args... args) {
  char ours[256];
  char libc[256];
  const size_t n = format_buffer(ours, sizeof(ours), fmt, args...);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
  const int m = std::snprintf(libc, sizeof(libc), fmt, args...);
#pragma GCC diagnostic pop
  EXPECT_STREQ(ours, libc) << "format: " << fmt;
  EXPECT_EQ(n, static_cast<size_t>(m)) << "format: " << fmt;
}

TEST(Format, PlainText) { expect_like_libc("hello, world"); }

TEST(Format, Strings) {
  expect_like_libc("[%s]", "abc");
  expect_like_libc("[%8s]", "abc");
  expect_like_libc("[%-8s]", "abc");
  expect_like_libc("[%.2s]", "abc");
  expect_like_libc("[%.*s]", 1, "abc");
  expect_like_libc("[%*s]", 6, "ab");
  expect_like_libc("[%-*s]", 6, "ab");
  expect_like_libc("[%c%c]", 'x', 'y');
  expect_like_libc("[%3c]", 'x');
  expect_like_libc("100%%");
}

TEST(Format, NullString) {
  char buffer[32];
  const char* volatile null_string = nullptr;  // hidden from -Wformat-overflow
  format_buffer(buffer, sizeof(buffer), "%s", null_string);
  EXPECT_STREQ(buffer, "(null)");
}

TEST(Format, SignedIntegers) {
  expect_like_libc("%d %i", 0, -1);
  expect_like_libc("%d", 2147483647);
  expect_like_libc("%d", -2147483647 - 1);
  expect_like_libc("%5d|%-5d|%05d", 42, 42, -42);
  expect_like_libc("%+d % d", 7, 7);
  expect_like_libc("%ld", -9223372036854775807L - 1);
  expect_like_libc("%lld", 1234567890123LL);
  expect_like_libc("%.3d", 7);
  expect_like_libc("%08.3d", 7);
  expect_like_libc("%.0d", 0);
  expect_like_libc("%hhd %hd", 300, 70000);
}

TEST(Format, UnsignedAndHex) {
  expect_like_libc("%u", 4294967295u);
  expect_like_libc("%lu %llu %zu", 18446744073709551615UL, 18446744073709551615ULL, size_t{123});
  expect_like_libc("%x %X", 0xdeadbeefu, 0xdeadbeefu);
  expect_like_libc("%lx", 0xffffffff80000000UL);
  expect_like_libc("%016lx", 0x1234UL);
  expect_like_libc("%-10x|", 0xabcu);
  expect_like_libc("%#x %#X %#x", 255u, 255u, 0u);
  expect_like_libc("%o", 8u);
}

TEST(Format, Pointer) {
  char buffer[64];
  format_buffer(buffer, sizeof(buffer), "%p", reinterpret_cast<void*>(0xffff800000001000ULL));
  EXPECT_STREQ(buffer, "0xffff800000001000");
  format_buffer(buffer, sizeof(buffer), "%p", static_cast<void*>(nullptr));
  EXPECT_STREQ(buffer, "0x0");
}

TEST(Format, TruncatesLikeSnprintf) {
  char buffer[8];
  const size_t n = format_buffer(buffer, sizeof(buffer), "%s-%d", "abcdef", 12345);
  EXPECT_EQ(n, 12u);
  EXPECT_STREQ(buffer, "abcdef-");
  EXPECT_EQ(format_buffer(nullptr, 0, "%d", 123), 3u);
}

TEST(Format, UnknownConversionIsVisible) {
  char buffer[32];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
  format_buffer(buffer, sizeof(buffer), "a%qb", 1);
  EXPECT_STREQ(buffer, "a%qb");
  format_buffer(buffer, sizeof(buffer), "end%");
  EXPECT_STREQ(buffer, "end%");
#pragma GCC diagnostic pop
}

TEST(Format, SinkReceivesAllBytes) {
  std::string collected;
  kernel::OutputSink sink{[](void* context, const char* data, size_t length) {
                            static_cast<std::string*>(context)->append(data, length);
                          },
                          &collected};
  const size_t n = kernel::format(sink, "%s=%u %-4s|%4d", "key", 10u, "ab", -3);
  EXPECT_EQ(collected, "key=10 ab  |  -3");
  EXPECT_EQ(n, collected.size());
}

}  // namespace
