// printf-style formatter: no allocation, no floating point, bounded stack use.
#include "lib/format.h"

namespace kernel {
namespace {

enum class Length { Int, Char, Short, Long, LongLong, Size, IntMax, PtrDiff };

struct Spec {
  bool left = false;       // '-'
  bool zero = false;       // '0'
  bool plus = false;       // '+'
  bool space = false;      // ' '
  bool alternate = false;  // '#'
  int width = 0;
  int precision = -1;  // -1: none given
  Length length = Length::Int;
};

// Counts bytes and forwards them to the sink.
class Emitter {
 public:
  explicit Emitter(OutputSink sink) : sink_(sink) {}

  void bytes(const char* data, size_t length) {
    if (length == 0) return;
    sink_.write(sink_.context, data, length);
    count_ += length;
  }
  void repeat(char c, int n) {
    char chunk[16];
    for (auto& slot : chunk) slot = c;
    while (n > 0) {
      const int step = n < 16 ? n : 16;
      bytes(chunk, static_cast<size_t>(step));
      n -= step;
    }
  }
  [[nodiscard]] size_t count() const { return count_; }

 private:
  OutputSink sink_;
  size_t count_ = 0;
};

// Emits `body` padded to the spec's width; `prefix` (sign, "0x") goes before zero padding.
// `precision_zeros` is -1 for non-numeric conversions (which never zero-pad).
void emit_padded(Emitter& out, const Spec& spec, const char* prefix, size_t prefix_length,
                 const char* body, size_t body_length, int precision_zeros) {
  const int content =
      static_cast<int>(prefix_length + body_length) + (precision_zeros > 0 ? precision_zeros : 0);
  const int pad = spec.width > content ? spec.width - content : 0;
  // C: the '0' flag is ignored with '-' and, for integers, when a precision is given.
  const bool zero_pad = spec.zero && !spec.left && precision_zeros >= 0 && spec.precision < 0;
  if (!spec.left && !zero_pad) out.repeat(' ', pad);
  out.bytes(prefix, prefix_length);
  if (zero_pad) out.repeat('0', pad);
  out.repeat('0', precision_zeros);
  out.bytes(body, body_length);
  if (spec.left) out.repeat(' ', pad);
}

void emit_unsigned(Emitter& out, const Spec& spec, uint64_t value, unsigned base, bool upper,
                   const char* prefix, size_t prefix_length) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char buffer[24];
  size_t pos = sizeof(buffer);
  // C: precision 0 with value 0 prints no digits.
  if (!(value == 0 && spec.precision == 0)) {
    do {
      buffer[--pos] = digits[value % base];
      value /= base;
    } while (value != 0);
  }
  const size_t length = sizeof(buffer) - pos;
  const int zeros =
      spec.precision > static_cast<int>(length) ? spec.precision - static_cast<int>(length) : 0;
  emit_padded(out, spec, prefix, prefix_length, buffer + pos, length, zeros);
}

int parse_number(const char*& p) {
  int value = 0;
  while (*p >= '0' && *p <= '9') {
    if (value < 100000) value = value * 10 + (*p - '0');
    ++p;
  }
  return value;
}

int64_t fetch_signed(Length length, va_list& args) {
  switch (length) {
    case Length::Char: return static_cast<signed char>(va_arg(args, int));
    case Length::Short: return static_cast<short>(va_arg(args, int));
    case Length::Long: return va_arg(args, long);
    case Length::LongLong: return va_arg(args, long long);
    case Length::Size: return static_cast<int64_t>(va_arg(args, size_t));
    case Length::IntMax: return va_arg(args, intmax_t);
    case Length::PtrDiff: return va_arg(args, ptrdiff_t);
    case Length::Int: break;
  }
  return va_arg(args, int);
}

uint64_t fetch_unsigned(Length length, va_list& args) {
  switch (length) {
    case Length::Char: return static_cast<unsigned char>(va_arg(args, unsigned));
    case Length::Short: return static_cast<unsigned short>(va_arg(args, unsigned));
    case Length::Long: return va_arg(args, unsigned long);
    case Length::LongLong: return va_arg(args, unsigned long long);
    case Length::Size: return va_arg(args, size_t);
    case Length::IntMax: return va_arg(args, uintmax_t);
    case Length::PtrDiff: return static_cast<uint64_t>(va_arg(args, ptrdiff_t));
    case Length::Int: break;
  }
  return va_arg(args, unsigned);
}

}  // namespace

size_t vformat(OutputSink sink, const char* format, va_list args_in) {
  Emitter out(sink);
  va_list args;
  va_copy(args, args_in);
  const char* p = format;
  while (*p != '\0') {
    if (*p != '%') {
      const char* run = p;
      while (*p != '\0' && *p != '%') ++p;
      out.bytes(run, static_cast<size_t>(p - run));
      continue;
    }
    const char* conversion_start = p;
    ++p;
    Spec spec;
    for (;; ++p) {
      if (*p == '-')
        spec.left = true;
      else if (*p == '0')
        spec.zero = true;
      else if (*p == '+')
        spec.plus = true;
      else if (*p == ' ')
        spec.space = true;
      else if (*p == '#')
        spec.alternate = true;
      else
        break;
    }
    if (*p == '*') {
      spec.width = va_arg(args, int);
      if (spec.width < 0) {
        spec.left = true;
        spec.width = -spec.width;
      }
      ++p;
    } else {
      spec.width = parse_number(p);
    }
    if (*p == '.') {
      ++p;
      if (*p == '*') {
        spec.precision = va_arg(args, int);
        ++p;
      } else {
        spec.precision = parse_number(p);
      }
    }
    if (*p == 'h') {
      ++p;
      spec.length = Length::Short;
      if (*p == 'h') {
        spec.length = Length::Char;
        ++p;
      }
    } else if (*p == 'l') {
      ++p;
      spec.length = Length::Long;
      if (*p == 'l') {
        spec.length = Length::LongLong;
        ++p;
      }
    } else if (*p == 'z') {
      spec.length = Length::Size;
      ++p;
    } else if (*p == 'j') {
      spec.length = Length::IntMax;
      ++p;
    } else if (*p == 't') {
      spec.length = Length::PtrDiff;
      ++p;
    }

    const char c = *p;
    if (c != '\0') ++p;
    switch (c) {
      case '%': out.bytes("%", 1); break;
      case 'c': {
        const char ch = static_cast<char>(va_arg(args, int));
        emit_padded(out, spec, "", 0, &ch, 1, -1);
        break;
      }
      case 's': {
        const char* s = va_arg(args, const char*);
        if (s == nullptr) s = "(null)";
        size_t length = 0;
        while (s[length] != '\0' &&
               (spec.precision < 0 || length < static_cast<size_t>(spec.precision))) {
          ++length;
        }
        emit_padded(out, spec, "", 0, s, length, -1);
        break;
      }
      case 'd':
      case 'i': {
        const int64_t value = fetch_signed(spec.length, args);
        // Negate in unsigned arithmetic so INT64_MIN is well defined.
        const uint64_t magnitude =
            value < 0 ? ~static_cast<uint64_t>(value) + 1 : static_cast<uint64_t>(value);
        const char* sign = value < 0 ? "-" : spec.plus ? "+" : spec.space ? " " : "";
        emit_unsigned(out, spec, magnitude, 10, false, sign, sign[0] != '\0' ? 1 : 0);
        break;
      }
      case 'u':
        emit_unsigned(out, spec, fetch_unsigned(spec.length, args), 10, false, "", 0);
        break;
      case 'x':
      case 'X': {
        const uint64_t value = fetch_unsigned(spec.length, args);
        const bool prefix = spec.alternate && value != 0;
        emit_unsigned(out, spec, value, 16, c == 'X', c == 'X' ? "0X" : "0x", prefix ? 2 : 0);
        break;
      }
      case 'o': emit_unsigned(out, spec, fetch_unsigned(spec.length, args), 8, false, "", 0); break;
      case 'p': {
        const auto value = reinterpret_cast<uintptr_t>(va_arg(args, void*));
        emit_unsigned(out, spec, value, 16, false, "0x", 2);
        break;
      }
      default:
        // Unknown or truncated conversion: show it as written.
        out.bytes(conversion_start, static_cast<size_t>(p - conversion_start));
        break;
    }
  }
  va_end(args);
  return out.count();
}

size_t format(OutputSink sink, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  const size_t n = vformat(sink, fmt, args);
  va_end(args);
  return n;
}

namespace {
struct BufferState {
  char* buffer;
  size_t capacity;  // bytes available for text (size - 1)
  size_t used;
};

void buffer_write(void* context, const char* data, size_t length) {
  auto* state = static_cast<BufferState*>(context);
  for (size_t i = 0; i < length && state->used < state->capacity; ++i) {
    state->buffer[state->used++] = data[i];
  }
}
}  // namespace

size_t vformat_buffer(char* buffer, size_t size, const char* fmt, va_list args) {
  BufferState state{buffer, size > 0 ? size - 1 : 0, 0};
  const size_t n = vformat(OutputSink{buffer_write, &state}, fmt, args);
  if (size > 0) buffer[state.used] = '\0';
  return n;
}

size_t format_buffer(char* buffer, size_t size, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  const size_t n = vformat_buffer(buffer, size, fmt, args);
  va_end(args);
  return n;
}

}  // namespace kernel
