// Portable fixed-size line formatting for muboot messages (no EFI types; host-tested).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace muboot {

// Accumulates one message line in a fixed buffer. Output that does not fit is cut off and the
// line ends in "..." so a truncated message is visible as such; nothing ever overflows.
// Control and non-ASCII characters are stored as '?'.
class LineBuffer {
 public:
  static constexpr size_t kCapacity = 400;

  LineBuffer& str(const char* text);
  LineBuffer& chr(char c);
  LineBuffer& dec(uint64_t value);
  // Lower-case hex with a "0x" prefix, no leading zeros.
  LineBuffer& hex(uint64_t value);
  // Appends UTF-16 text (e.g. a firmware string), mapping non-ASCII code units to '?'.
  LineBuffer& utf16(const char16_t* text);

  [[nodiscard]] const char* c_str() const { return text_; }
  [[nodiscard]] size_t length() const { return length_; }
  [[nodiscard]] bool truncated() const { return truncated_; }
  void clear();

 private:
  char text_[kCapacity + 1] = {};
  size_t length_ = 0;
  bool truncated_ = false;
};

// Bounded string helpers: the loader has no C library of its own to rely on.
[[nodiscard]] size_t str_length(const char* text);
[[nodiscard]] bool str_equal(const char* a, const char* b);
// Copies at most capacity-1 bytes and always NUL-terminates (capacity > 0).
void str_copy(char* out, size_t capacity, const char* text);

}  // namespace muboot
