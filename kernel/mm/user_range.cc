// Checks a user pointer range must pass before the user-copy routines may touch it.
#include "mm/user_range.h"

namespace kernel::mm {
namespace {

constexpr uint64_t kMax = ~uint64_t{0};
constexpr uint64_t kPageShift = 12;

UserRangeStatus classify_high_start(uint64_t addr) {
  return is_canonical(addr) ? UserRangeStatus::KernelAddress : UserRangeStatus::NonCanonical;
}

}  // namespace

UserRangeStatus check_user_range(uint64_t addr, uint64_t len) {
  if (len == 0) {
    // Nothing is touched; only refuse starts that could never be user addresses.
    return addr <= kUserEnd ? UserRangeStatus::Ok : classify_high_start(addr);
  }
  // Compare via the last byte so a range ending exactly at 2^64 is not misread as wrapping.
  if (len - 1 > kMax - addr) return UserRangeStatus::Wraps;
  if (addr >= kUserEnd) return classify_high_start(addr);
  if (addr < kUserFloor) return UserRangeStatus::NullPage;
  uint64_t last = addr + (len - 1);
  if (last >= kUserEnd) return UserRangeStatus::PastUserEnd;
  return UserRangeStatus::Ok;
}

UserRangeStatus check_user_object(uint64_t addr, uint64_t size, uint64_t align) {
  UserRangeStatus status = check_user_range(addr, size);
  if (status != UserRangeStatus::Ok) return status;
  return is_aligned(addr, align) ? UserRangeStatus::Ok : UserRangeStatus::Misaligned;
}

uint64_t user_range_page_count(uint64_t addr, uint64_t len) {
  if (len == 0) return 0;
  uint64_t first = addr >> kPageShift;
  uint64_t last = (addr + (len - 1)) >> kPageShift;
  return last - first + 1;
}

bool align_up_checked(uint64_t value, uint64_t align, uint64_t* out) {
  uint64_t mask = align - 1;
  if (value > kMax - mask) return false;
  *out = (value + mask) & ~mask;
  return true;
}

}  // namespace kernel::mm
