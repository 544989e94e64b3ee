// Serial input decoding (ECMA-48 control sequences: ESC [ parameters final-byte).
#include "serial_keys.h"

namespace console {
namespace {

constexpr uint8_t kEsc = 0x1B;

Key cursor_key(uint8_t final_byte) {
  switch (final_byte) {
    case 'A': return Key{KeyKind::Up, 0};
    case 'B': return Key{KeyKind::Down, 0};
    case 'C': return Key{KeyKind::Right, 0};
    case 'D': return Key{KeyKind::Left, 0};
    default: return Key{};
  }
}

}  // namespace

Key SerialKeyDecoder::feed(uint8_t byte) {
  const bool after_cr = after_cr_;
  after_cr_ = false;
  switch (state_) {
    case State::Normal:
      if (byte == kEsc) {
        state_ = State::Escape;
        return Key{};
      }
      if (byte == '\n' && after_cr) return Key{};
      after_cr_ = byte == '\r';
      return key_from_byte(byte);
    case State::Escape:
      if (byte == '[' || byte == 'O') {
        state_ = State::Sequence;
        return Key{};
      }
      // ESC followed by anything else: the ESC alone is ignored, the byte counts.
      state_ = State::Normal;
      if (byte == kEsc) {
        state_ = State::Escape;
        return Key{};
      }
      after_cr_ = byte == '\r';
      return key_from_byte(byte);
    case State::Sequence:
      // Parameter and intermediate bytes (0x20..0x3F) continue the sequence; a final byte
      // (0x40..0x7E) ends it; anything else aborts it.
      if (byte >= 0x20 && byte <= 0x3F) return Key{};
      state_ = State::Normal;
      if (byte >= 0x40 && byte <= 0x7E) return cursor_key(byte);
      if (byte == kEsc) state_ = State::Escape;
      return Key{};
  }
  return Key{};
}

}  // namespace console
