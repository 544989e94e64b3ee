// Capability rights as a value type whose only way to change is to lose bits.
#pragma once

#include <mu/cap_abi.h>
#include <stdint.h>

namespace kernel::object {

// A set of rights. Derivation intersects with a mask; there is no operation that adds a bit to an
// existing set, so a derived capability can never hold more than its parent (seL4 manual §3.1.4).
class Rights {
 public:
  constexpr Rights() = default;
  // Bits outside kRightsAll are dropped so a stored value never carries undefined rights.
  static constexpr Rights from_bits(uint8_t bits) {
    return Rights(static_cast<uint8_t>(bits & mu::kRightsAll));
  }
  static constexpr Rights all() { return Rights(mu::kRightsAll); }
  static constexpr Rights none() { return Rights(0); }

  [[nodiscard]] constexpr uint8_t bits() const { return bits_; }
  [[nodiscard]] constexpr bool has(uint8_t right) const { return (bits_ & right) == right; }
  [[nodiscard]] constexpr bool can_read() const { return has(mu::kRightRead); }
  [[nodiscard]] constexpr bool can_write() const { return has(mu::kRightWrite); }
  [[nodiscard]] constexpr bool can_grant() const { return has(mu::kRightGrant); }
  [[nodiscard]] constexpr bool can_grant_reply() const { return has(mu::kRightGrantReply); }
  // The only derivation: keep the bits present in both.
  [[nodiscard]] constexpr Rights masked(Rights mask) const {
    return Rights(static_cast<uint8_t>(bits_ & mask.bits_));
  }
  // True when every bit of *this is also in `other`.
  [[nodiscard]] constexpr bool subset_of(Rights other) const { return (bits_ & ~other.bits_) == 0; }
  constexpr bool operator==(const Rights&) const = default;

 private:
  constexpr explicit Rights(uint8_t bits) : bits_(bits) {}
  uint8_t bits_ = 0;
};

}  // namespace kernel::object
