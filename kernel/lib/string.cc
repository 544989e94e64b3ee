// String helpers for the freestanding kernel.
#include "lib/string.h"

namespace kernel {

size_t string_length(const char* s) {
  size_t n = 0;
  while (s[n] != '\0') ++n;
  return n;
}

size_t string_length_bounded(const char* s, size_t max) {
  size_t n = 0;
  while (n < max && s[n] != '\0') ++n;
  return n;
}

bool StringView::operator==(StringView other) const {
  if (size_ != other.size_) return false;
  for (size_t i = 0; i < size_; ++i) {
    if (data_[i] != other.data_[i]) return false;
  }
  return true;
}

bool StringView::starts_with(StringView prefix) const {
  return prefix.size_ <= size_ && StringView(data_, prefix.size_) == prefix;
}

size_t StringView::find(char c) const {
  for (size_t i = 0; i < size_; ++i) {
    if (data_[i] == c) return i;
  }
  return size_;
}

StringView StringView::substr(size_t pos, size_t count) const {
  if (pos > size_) pos = size_;
  const size_t rest = size_ - pos;
  return StringView(data_ + pos, count < rest ? count : rest);
}

bool StringView::to_u64(uint64_t* out) const {
  size_t i = 0;
  unsigned base = 10;
  if (size_ > 2 && data_[0] == '0' && (data_[1] == 'x' || data_[1] == 'X')) {
    base = 16;
    i = 2;
  }
  if (i == size_) return false;
  uint64_t value = 0;
  for (; i < size_; ++i) {
    const char c = data_[i];
    unsigned digit;
    if (c >= '0' && c <= '9')
      digit = static_cast<unsigned>(c - '0');
    else if (base == 16 && c >= 'a' && c <= 'f')
      digit = static_cast<unsigned>(c - 'a' + 10);
    else if (base == 16 && c >= 'A' && c <= 'F')
      digit = static_cast<unsigned>(c - 'A' + 10);
    else
      return false;
    if (value > (UINT64_MAX - digit) / base) return false;  // overflow
    value = value * base + digit;
  }
  *out = value;
  return true;
}

}  // namespace kernel
