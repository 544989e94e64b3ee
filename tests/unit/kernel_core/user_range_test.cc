// Tests for the user pointer range checks used before every copy-in/copy-out.
#include "mm/user_range.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace kernel::mm {
namespace {

using S = UserRangeStatus;
constexpr uint64_t kLastUserPage = 0x0000'7FFF'FFFF'F000;
constexpr uint64_t kMax = ~uint64_t{0};

TEST(UserRange, TopOfUserHalf) {
  EXPECT_EQ(check_user_range(kLastUserPage, 0x1000), S::Ok);  // ends exactly at kUserEnd
  EXPECT_EQ(check_user_range(kLastUserPage, 0x1001), S::PastUserEnd);
  EXPECT_EQ(check_user_range(kUserEnd - 1, 1), S::Ok);  // last user byte
  EXPECT_EQ(check_user_range(kUserEnd - 1, 2), S::PastUserEnd);
  EXPECT_EQ(check_user_range(kUserEnd, 1), S::NonCanonical);        // first byte of the hole
  EXPECT_EQ(check_user_range(0x10000, kUserEnd - 0x10000), S::Ok);  // the whole user half
}

TEST(UserRange, Wrapping) {
  EXPECT_EQ(check_user_range(0x10000, kMax), S::Wraps);
  EXPECT_EQ(check_user_range(kLastUserPage, kMax - 0x1000), S::Wraps);
  EXPECT_EQ(check_user_range(kMax, 2), S::Wraps);
  // Ends exactly at 2^64: not a wrap, just far past the user half.
  EXPECT_EQ(check_user_range(0x10000, kMax - 0x10000 + 1), S::PastUserEnd);
  EXPECT_EQ(check_user_range(0xFFFF'FFFF'FFFF'F000, 0x1000), S::KernelAddress);
  EXPECT_EQ(check_user_range(0xFFFF'FFFF'FFFF'F000, 0x1001), S::Wraps);
}

TEST(UserRange, KernelAndNonCanonicalStarts) {
  EXPECT_EQ(check_user_range(0xFFFF'FFFF'8000'0000, 8), S::KernelAddress);  // kernel image
  EXPECT_EQ(check_user_range(kKernelHalfStart, 8), S::KernelAddress);       // HHDM base
  EXPECT_EQ(check_user_range(kKernelHalfStart - 1, 1), S::NonCanonical);
  EXPECT_EQ(check_user_range(0x0000'8000'0000'1000, 8), S::NonCanonical);
  EXPECT_EQ(check_user_range(0x1234'5678'0000'0000, 8), S::NonCanonical);
}

TEST(UserRange, NullPageFloor) {
  EXPECT_EQ(check_user_range(0, 1), S::NullPage);
  EXPECT_EQ(check_user_range(8, 8), S::NullPage);  // p->field with p == NULL
  EXPECT_EQ(check_user_range(kUserFloor - 1, 2), S::NullPage);
  EXPECT_EQ(check_user_range(kUserFloor, 1), S::Ok);
}

TEST(UserRange, ZeroLength) {
  EXPECT_EQ(check_user_range(0, 0), S::Ok);  // write(fd, NULL, 0)
  EXPECT_EQ(check_user_range(0x400000, 0), S::Ok);
  EXPECT_EQ(check_user_range(kUserEnd, 0), S::Ok);  // one-past-the-end pointer
  EXPECT_EQ(check_user_range(kUserEnd + 1, 0), S::NonCanonical);
  EXPECT_EQ(check_user_range(0xFFFF'FFFF'8000'0000, 0), S::KernelAddress);
  EXPECT_EQ(check_user_range(kMax, 0), S::KernelAddress);
}

TEST(UserRange, Canonical) {
  EXPECT_TRUE(is_canonical(0));
  EXPECT_TRUE(is_canonical(0x0000'7FFF'FFFF'FFFF));
  EXPECT_FALSE(is_canonical(0x0000'8000'0000'0000));
  EXPECT_FALSE(is_canonical(0xFFFF'7FFF'FFFF'FFFF));
  EXPECT_TRUE(is_canonical(0xFFFF'8000'0000'0000));
  EXPECT_TRUE(is_canonical(kMax));
}

TEST(UserRange, ObjectAlignment) {
  EXPECT_EQ(check_user_object(0x400008, 8, 8), S::Ok);
  EXPECT_EQ(check_user_object(0x400004, 8, 8), S::Misaligned);
  EXPECT_EQ(check_user_object(0x400003, 1, 1), S::Ok);
  EXPECT_EQ(check_user_object(kKernelHalfStart + 4, 8, 8), S::KernelAddress);  // range first
  EXPECT_TRUE(is_aligned(0x1000, 0x1000));
  EXPECT_FALSE(is_aligned(0x1001, 0x1000));
  EXPECT_TRUE(is_power_of_two(1));
  EXPECT_TRUE(is_power_of_two(uint64_t{1} << 63));
  EXPECT_FALSE(is_power_of_two(0));
  EXPECT_FALSE(is_power_of_two(0x3000));
}

TEST(UserRange, PageCountAndAlignHelpers) {
  EXPECT_EQ(user_range_page_count(0x400000, 0), 0u);
  EXPECT_EQ(user_range_page_count(0x400000, 0x1000), 1u);
  EXPECT_EQ(user_range_page_count(0x400FFF, 2), 2u);
  EXPECT_EQ(user_range_page_count(0x400800, 0x1000), 2u);
  EXPECT_EQ(user_range_page_count(kLastUserPage, 0x1000), 1u);

  uint64_t out = 7;
  EXPECT_TRUE(align_up_checked(0x1001, 0x1000, &out));
  EXPECT_EQ(out, 0x2000u);
  EXPECT_TRUE(align_up_checked(0x2000, 0x1000, &out));
  EXPECT_EQ(out, 0x2000u);
  EXPECT_TRUE(align_up_checked(kMax - 0xFFF, 0x1000, &out));
  EXPECT_EQ(out, kMax - 0xFFF);
  out = 7;
  EXPECT_FALSE(align_up_checked(kMax - 0xFFE, 0x1000, &out));
  EXPECT_EQ(out, 7u);
  EXPECT_EQ(align_down(0x1FFF, 0x1000), 0x1000u);
}

}  // namespace
}  // namespace kernel::mm
