// Portable fixed-size line formatting for muboot messages.
#include "text.h"

namespace muboot {

LineBuffer& LineBuffer::chr(char c) {
  if (truncated_) return *this;
  // Keep room for the "..." marker so a cut line always says so.
  if (length_ + 1 > kCapacity - 3) {
    truncated_ = true;
    for (int i = 0; i < 3; ++i) text_[length_++] = '.';
    text_[length_] = '\0';
    return *this;
  }
  // Message text may come from files on the ESP: never pass control or non-ASCII bytes on to
  // the terminal (line ends are added by the console, not through here).
  const auto byte = static_cast<unsigned char>(c);
  text_[length_++] = byte < 0x20 || byte >= 0x7F ? '?' : c;
  text_[length_] = '\0';
  return *this;
}

LineBuffer& LineBuffer::str(const char* text) {
  if (text == nullptr) return str("(null)");
  for (; *text != '\0'; ++text) chr(*text);
  return *this;
}

LineBuffer& LineBuffer::dec(uint64_t value) {
  char digits[20];
  size_t count = 0;
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (count > 0) chr(digits[--count]);
  return *this;
}

LineBuffer& LineBuffer::hex(uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  char digits[16];
  size_t count = 0;
  do {
    digits[count++] = kDigits[value & 0xF];
    value >>= 4;
  } while (value != 0);
  str("0x");
  while (count > 0) chr(digits[--count]);
  return *this;
}

LineBuffer& LineBuffer::utf16(const char16_t* text) {
  if (text == nullptr) return str("(null)");
  for (; *text != 0; ++text) {
    const char16_t unit = *text;
    chr(unit >= 0x20 && unit < 0x7F ? static_cast<char>(unit) : '?');
  }
  return *this;
}

void LineBuffer::clear() {
  length_ = 0;
  truncated_ = false;
  text_[0] = '\0';
}

size_t str_length(const char* text) {
  size_t length = 0;
  while (text[length] != '\0') ++length;
  return length;
}

bool str_equal(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) {
    ++a;
    ++b;
  }
  return *a == *b;
}

void str_copy(char* out, size_t capacity, const char* text) {
  size_t i = 0;
  for (; i + 1 < capacity && text[i] != '\0'; ++i) out[i] = text[i];
  out[i] = '\0';
}

}  // namespace muboot
