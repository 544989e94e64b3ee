// Formatted debug output for user programs (a small printf over the debug_write syscall).
#include <stdarg.h>

#include "mu_user.h"

namespace mu::user {
namespace {

struct Buffer {
  char data[512];
  size_t length = 0;
  void put(char c) {
    if (length < sizeof(data)) data[length++] = c;
  }
};

void put_unsigned(Buffer& out, uint64_t value, unsigned base) {
  char digits[24];
  size_t n = 0;
  do {
    const unsigned d = static_cast<unsigned>(value % base);
    digits[n++] = static_cast<char>(d < 10 ? '0' + d : 'a' + d - 10);
    value /= base;
  } while (value != 0);
  while (n > 0) out.put(digits[--n]);
}

}  // namespace

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

void print(const char* format, ...) {
  Buffer out;
  va_list args;
  va_start(args, format);
  for (const char* p = format; *p != '\0'; ++p) {
    if (*p != '%') {
      out.put(*p);
      continue;
    }
    ++p;
    while (*p == 'l') ++p;
    switch (*p) {
      case 's': {
        const char* s = va_arg(args, const char*);
        while (*s != '\0') out.put(*s++);
        break;
      }
      case 'c': out.put(static_cast<char>(va_arg(args, int))); break;
      case 'd': {
        const int64_t v = va_arg(args, int64_t);
        if (v < 0) {
          out.put('-');
          put_unsigned(out, static_cast<uint64_t>(-v), 10);
        } else {
          put_unsigned(out, static_cast<uint64_t>(v), 10);
        }
        break;
      }
      case 'u': put_unsigned(out, va_arg(args, uint64_t), 10); break;
      case 'x': put_unsigned(out, va_arg(args, uint64_t), 16); break;
      case '%': out.put('%'); break;
      default: out.put('?'); break;
    }
    if (*p == '\0') break;
  }
  va_end(args);
  (void)debug_write(out.data, out.length);
}

}  // namespace mu::user
