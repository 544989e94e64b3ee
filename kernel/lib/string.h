// Non-owning string views and the few C-string helpers the kernel needs (no libc in the kernel).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace kernel {

[[nodiscard]] size_t string_length(const char* s);
// Length of `s` but never more than `max` (reads at most `max` bytes).
[[nodiscard]] size_t string_length_bounded(const char* s, size_t max);

// A pointer and a length; the bytes are not necessarily NUL-terminated.
class StringView {
 public:
  constexpr StringView() = default;
  constexpr StringView(const char* data, size_t size) : data_(data), size_(size) {}
  // From a NUL-terminated string (implicit so literals compare naturally).
  StringView(const char* s) : data_(s), size_(s != nullptr ? string_length(s) : 0) {}  // NOLINT

  [[nodiscard]] constexpr const char* data() const { return data_; }
  [[nodiscard]] constexpr size_t size() const { return size_; }
  [[nodiscard]] constexpr bool empty() const { return size_ == 0; }
  [[nodiscard]] constexpr char operator[](size_t i) const { return data_[i]; }

  [[nodiscard]] bool operator==(StringView other) const;
  [[nodiscard]] bool starts_with(StringView prefix) const;
  // Index of the first `c`, or size() when absent.
  [[nodiscard]] size_t find(char c) const;
  [[nodiscard]] StringView substr(size_t pos, size_t count = SIZE_MAX) const;
  // Parses the whole view as an unsigned decimal or 0x-prefixed hex number.
  [[nodiscard]] bool to_u64(uint64_t* out) const;

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace kernel
