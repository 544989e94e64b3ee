// format()/vformat(): the runtime's printf subset (mu_runtime.h), with snprintf semantics. Pure
// code: it is also built for the host and unit-tested there (tests/unit/servers).
#include <stdarg.h>

#include "mu_runtime.h"

namespace mu::user {
namespace {

// Collects output into a bounded buffer while counting every byte the full output would have.
struct Output {
  char* buf;
  size_t size;
  size_t length = 0;

  void put(char c) {
    if (length + 1 < size) buf[length] = c;
    ++length;
  }
  void repeat(char c, size_t count) {
    for (size_t i = 0; i < count; ++i) put(c);
  }
  void finish() {
    if (size == 0) return;
    buf[length < size ? length : size - 1] = '\0';
  }
};

struct Spec {
  bool left = false;  // '-': pad on the right
  bool zero = false;  // '0': pad numbers with zeros (after the sign)
  size_t width = 0;
  bool has_precision = false;
  size_t precision = 0;
  bool wide = false;  // l, ll, z, j, t: a 64-bit argument
};

// Writes `text` (its `len` bytes), padded to the spec's width with spaces.
void put_padded(Output& out, const Spec& spec, const char* text, size_t len) {
  const size_t pad = spec.width > len ? spec.width - len : 0;
  if (!spec.left) out.repeat(' ', pad);
  for (size_t i = 0; i < len; ++i) out.put(text[i]);
  if (spec.left) out.repeat(' ', pad);
}

void put_number(Output& out, const Spec& spec, uint64_t magnitude, bool negative, unsigned base,
                const char* prefix) {
  char digits[24];
  size_t n = 0;
  do {
    const unsigned d = static_cast<unsigned>(magnitude % base);
    digits[n++] = static_cast<char>(d < 10 ? '0' + d : 'a' + d - 10);
    magnitude /= base;
  } while (magnitude != 0);
  size_t prefix_len = 0;
  while (prefix[prefix_len] != '\0') ++prefix_len;
  const size_t body = n + prefix_len + (negative ? 1 : 0);
  const size_t pad = spec.width > body ? spec.width - body : 0;
  const bool zero_pad = spec.zero && !spec.left;
  if (!zero_pad && !spec.left) out.repeat(' ', pad);
  if (negative) out.put('-');
  for (size_t i = 0; i < prefix_len; ++i) out.put(prefix[i]);
  if (zero_pad) out.repeat('0', pad);
  while (n > 0) out.put(digits[--n]);
  if (spec.left) out.repeat(' ', pad);
}

size_t parse_count(const char*& p, va_list& args) {
  if (*p == '*') {
    ++p;
    const int v = va_arg(args, int);
    return v < 0 ? 0 : static_cast<size_t>(v);
  }
  size_t v = 0;
  while (*p >= '0' && *p <= '9') v = v * 10 + static_cast<size_t>(*p++ - '0');
  return v;
}

}  // namespace

size_t vformat(char* buf, size_t size, const char* fmt, va_list args_in) {
  Output out{buf, size};
  va_list args;
  va_copy(args, args_in);
  for (const char* p = fmt; *p != '\0'; ++p) {
    if (*p != '%') {
      out.put(*p);
      continue;
    }
    const char* start = p++;
    Spec spec;
    for (;; ++p) {
      if (*p == '-') {
        spec.left = true;
      } else if (*p == '0') {
        spec.zero = true;
      } else {
        break;
      }
    }
    spec.width = parse_count(p, args);
    if (*p == '.') {
      ++p;
      spec.has_precision = true;
      spec.precision = parse_count(p, args);
    }
    while (*p == 'l' || *p == 'z' || *p == 'j' || *p == 't') {
      spec.wide = true;
      ++p;
    }
    switch (*p) {
      case 's': {
        const char* s = va_arg(args, const char*);
        if (s == nullptr) s = "(null)";
        size_t len = 0;
        while (s[len] != '\0' && (!spec.has_precision || len < spec.precision)) ++len;
        put_padded(out, spec, s, len);
        break;
      }
      case 'c': {
        const char c = static_cast<char>(va_arg(args, int));
        put_padded(out, spec, &c, 1);
        break;
      }
      case 'd':
      case 'i': {
        const int64_t v = spec.wide ? va_arg(args, int64_t) : va_arg(args, int);
        // Negating in unsigned arithmetic keeps INT64_MIN exact.
        const uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
        put_number(out, spec, magnitude, v < 0, 10, "");
        break;
      }
      case 'u':
      case 'x': {
        const uint64_t v = spec.wide ? va_arg(args, uint64_t) : va_arg(args, unsigned);
        put_number(out, spec, v, false, *p == 'u' ? 10 : 16, "");
        break;
      }
      case 'p': {
        const uint64_t v = reinterpret_cast<uint64_t>(va_arg(args, void*));
        put_number(out, spec, v, false, 16, "0x");
        break;
      }
      case '%': out.put('%'); break;
      default:
        // An unknown conversion (or a format ending in '%') is copied as written, so a bad
        // format shows in the output instead of consuming an argument.
        for (const char* q = start; q <= p && *q != '\0'; ++q) out.put(*q);
        if (*p == '\0') p--;
        break;
    }
  }
  va_end(args);
  out.finish();
  return out.length;
}

size_t format(char* buf, size_t size, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  const size_t n = vformat(buf, size, fmt, args);
  va_end(args);
  return n;
}

}  // namespace mu::user
