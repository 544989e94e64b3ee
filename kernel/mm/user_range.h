// Checks a user pointer range must pass before the user-copy routines may touch it.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace kernel::mm {

// Lowest address a user range may start at. The first 64 KiB are never mapped in any address
// space, so NULL and small offsets from it (p->field with p == NULL) always fault or are refused;
// Linux uses the same floor (vm.mmap_min_addr = 65536).
inline constexpr uint64_t kUserFloor = 0x10000;
// End (exclusive) of the user half: the lower canonical half with 48-bit virtual addresses
// (Intel SDM vol 1 §3.3.7.1). 0x7FFF'FFFF'F000 + 0x1000 is the last acceptable range end.
// Note: the address-space code should keep the very last user page unmapped, so that a SYSCALL
// at the top of the user half cannot make SYSRET return to a non-canonical RIP (Intel SYSRET
// #GP-in-ring-0 erratum, CVE-2012-0217); that is a mapping policy, not a range check.
inline constexpr uint64_t kUserEnd = 0x0000'8000'0000'0000;
// Start of the upper canonical half (kernel addresses).
inline constexpr uint64_t kKernelHalfStart = 0xFFFF'8000'0000'0000;

enum class UserRangeStatus : uint32_t {
  Ok = 0,
  NullPage,       // starts below kUserFloor
  Wraps,          // addr + len overflows 64 bits
  NonCanonical,   // starts in the hole between the two canonical halves
  KernelAddress,  // starts in the kernel (upper) half
  PastUserEnd,    // starts in the user half but ends above kUserEnd
  Misaligned,     // not aligned as the object requires (check_user_object only)
};

// Intel SDM vol 1 §3.3.7.1: with 48-bit linear addresses, bits 63:47 are all equal.
[[nodiscard]] constexpr bool is_canonical(uint64_t addr) {
  uint64_t top = addr >> 47;
  return top == 0 || top == 0x1FFFF;
}

// `align` must be a power of two (1 is always aligned).
[[nodiscard]] constexpr bool is_aligned(uint64_t value, uint64_t align) {
  return (value & (align - 1)) == 0;
}

[[nodiscard]] constexpr bool is_power_of_two(uint64_t value) {
  return value != 0 && (value & (value - 1)) == 0;
}

// Whether the user-copy routines may touch [addr, addr + len).
//
// len == 0 touches nothing, so any start in [0, kUserEnd] is Ok, NULL included (write(fd, NULL, 0)
// is legal POSIX); a kernel or non-canonical start is still refused so a kernel pointer is refused
// the same way whatever length comes with it.
// For len > 0 the range must not wrap, must start at or above kUserFloor and must end at or
// below kUserEnd (which also makes it canonical). Only the range is checked: whether the pages are
// mapped is found out by the copy itself through its fault fix-up.
[[nodiscard]] UserRangeStatus check_user_range(uint64_t addr, uint64_t len);

// check_user_range for an object of `size` bytes that must be `align`-aligned (for example a
// u64 the kernel reads atomically). Precondition: align is a power of two.
[[nodiscard]] UserRangeStatus check_user_object(uint64_t addr, uint64_t size, uint64_t align);

// Number of 4 KiB pages [addr, addr + len) touches, 0 for len == 0. Precondition: the range
// passed check_user_range (so it cannot wrap).
[[nodiscard]] uint64_t user_range_page_count(uint64_t addr, uint64_t len);

// Rounds `value` up to a multiple of `align` (a power of two). Returns false and leaves *out
// untouched if the result would wrap, so sizes from user space cannot overflow into small ones.
[[nodiscard]] bool align_up_checked(uint64_t value, uint64_t align, uint64_t* out);

// Rounds `value` down to a multiple of `align` (a power of two).
[[nodiscard]] constexpr uint64_t align_down(uint64_t value, uint64_t align) {
  return value & ~(align - 1);
}

}  // namespace kernel::mm
