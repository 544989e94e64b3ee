// Tests for the kernel's memcpy/memmove/memset/memcmp/strlen (built here under mu_fs_* names).
#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <vector>

extern "C" {
void* mu_fs_memcpy(void* dst, const void* src, size_t n);
void* mu_fs_memmove(void* dst, const void* src, size_t n);
void* mu_fs_memset(void* dst, int value, size_t n);
int mu_fs_memcmp(const void* a, const void* b, size_t n);
size_t mu_fs_strlen(const char* s);
}

namespace {

std::vector<uint8_t> iota_bytes(size_t n) {
  std::vector<uint8_t> v(n);
  std::iota(v.begin(), v.end(), uint8_t{1});
  return v;
}

TEST(FreestandingMem, MemcpyCopiesExactlyNBytesAndReturnsDst) {
  auto src = iota_bytes(37);
  std::vector<uint8_t> dst(40, 0xEE);
  EXPECT_EQ(mu_fs_memcpy(dst.data() + 1, src.data(), 37), dst.data() + 1);
  EXPECT_EQ(dst[0], 0xEE);
  for (size_t i = 0; i < 37; ++i) EXPECT_EQ(dst[i + 1], src[i]) << i;
  EXPECT_EQ(dst[38], 0xEE);
}

TEST(FreestandingMem, MemmoveHandlesOverlapInBothDirections) {
  auto forward = iota_bytes(20);
  mu_fs_memmove(forward.data() + 3, forward.data(), 15);  // dst above src
  for (size_t i = 0; i < 15; ++i) EXPECT_EQ(forward[i + 3], i + 1) << i;

  auto backward = iota_bytes(20);
  mu_fs_memmove(backward.data(), backward.data() + 3, 15);  // dst below src
  for (size_t i = 0; i < 15; ++i) EXPECT_EQ(backward[i], i + 4) << i;
  EXPECT_EQ(backward[15], 16);
}

TEST(FreestandingMem, MemsetStoresLowByteOfValue) {
  std::vector<uint8_t> v(10, 0);
  EXPECT_EQ(mu_fs_memset(v.data() + 2, 0x1AB, 5), v.data() + 2);
  const std::vector<uint8_t> want{0, 0, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0, 0, 0};
  EXPECT_EQ(v, want);
}

TEST(FreestandingMem, MemcmpOrdersAsUnsignedBytes) {
  const uint8_t a[] = {1, 2, 0x80};
  const uint8_t b[] = {1, 2, 0x7F};
  EXPECT_EQ(mu_fs_memcmp(a, a, 3), 0);
  EXPECT_GT(mu_fs_memcmp(a, b, 3), 0);
  EXPECT_LT(mu_fs_memcmp(b, a, 3), 0);
  EXPECT_EQ(mu_fs_memcmp(a, b, 2), 0);
  EXPECT_EQ(mu_fs_memcmp(a, b, 0), 0);
}

TEST(FreestandingMem, StrlenCountsUpToNul) {
  EXPECT_EQ(mu_fs_strlen(""), 0u);
  EXPECT_EQ(mu_fs_strlen("muOS"), 4u);
  EXPECT_EQ(mu_fs_strlen("ab\0cd"), 2u);
}

}  // namespace
