// String helpers of the runtime (mu_user.h, mu_runtime.h). Pure code, also unit-tested on the host.
#include "mu_runtime.h"
#include "mu_user.h"

namespace mu::user {

size_t string_length(const char* s) {
  size_t n = 0;
  while (s[n] != '\0') ++n;
  return n;
}

bool starts_with(const char* s, size_t len, const char* prefix) {
  for (size_t i = 0; prefix[i] != '\0'; ++i) {
    if (i >= len || s[i] != prefix[i]) return false;
  }
  return true;
}

bool string_equal(const char* a, const char* b) {
  size_t i = 0;
  while (a[i] != '\0' && a[i] == b[i]) ++i;
  return a[i] == b[i];
}

size_t copy_string(char* dst, size_t size, const char* src) {
  if (size == 0) return 0;
  size_t n = 0;
  while (n + 1 < size && src[n] != '\0') {
    dst[n] = src[n];
    ++n;
  }
  dst[n] = '\0';
  return n;
}

bool parse_u64(const char* s, size_t len, uint64_t* out) {
  unsigned base = 10;
  size_t i = 0;
  if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    i = 2;
  }
  if (i >= len) return false;
  uint64_t value = 0;
  for (; i < len; ++i) {
    const char c = s[i];
    unsigned digit;
    if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0');
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      digit = static_cast<unsigned>(c - 'a' + 10);
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      digit = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return false;
    }
    if (value > (UINT64_MAX - digit) / base) return false;  // value * base + digit overflows
    value = value * base + digit;
  }
  *out = value;
  return true;
}

}  // namespace mu::user
