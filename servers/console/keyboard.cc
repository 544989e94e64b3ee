// Scan code set 1 decoding. Make codes are 0x01..0x58; a release is the make code | 0x80.
#include "keyboard.h"

namespace console {
namespace {

constexpr uint8_t kReleased = 0x80;
constexpr uint8_t kExtendedPrefix = 0xE0;
constexpr uint8_t kPausePrefix = 0xE1;  // E1 1D 45 E1 9D C5: Pause, make and break at once
constexpr uint8_t kPauseFollowBytes = 5;

constexpr uint8_t kLeftCtrl = 0x1D;
constexpr uint8_t kLeftShift = 0x2A;
constexpr uint8_t kRightShift = 0x36;
constexpr uint8_t kCapsLock = 0x3A;
// Keypad keys with num lock off (the keyboard's power-on state); the cursor block sends the
// same codes with an E0 prefix.
constexpr uint8_t kPadUp = 0x48;
constexpr uint8_t kPadLeft = 0x4B;
constexpr uint8_t kPadRight = 0x4D;
constexpr uint8_t kPadDown = 0x50;
constexpr uint8_t kPadEnter = 0x1C;  // with E0

constexpr uint8_t kTableSize = 0x3A;
// US layout, codes 0x00..0x39; 0 = no character (Esc, modifiers). '\b' Backspace, '\n' Enter.
constexpr char kPlain[kTableSize] = {
    0,    0,   '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', '\b', '\t',
    'q',  'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\n', 0,   'a',  's',
    'd',  'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0,  '\\', 'z', 'x', 'c',  'v',
    'b',  'n', 'm', ',', '.', '/', 0,   '*', 0,   ' '};
constexpr char kShifted[kTableSize] = {
    0,    0,   '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', '\b', '\t',
    'Q',  'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\n', 0,   'A',  'S',
    'D',  'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0,   '|', 'Z', 'X', 'C',  'V',
    'B',  'N', 'M', '<', '>', '?', 0,   '*', 0,   ' '};

constexpr bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

Key KeyboardDecoder::extended(uint8_t code, bool released) {
  if (code == kLeftCtrl) {  // E0 1D: right ctrl
    right_ctrl_ = !released;
    return Key{};
  }
  if (released) return Key{};
  switch (code) {
    case kPadUp: return Key{KeyKind::Up, 0};
    case kPadDown: return Key{KeyKind::Down, 0};
    case kPadLeft: return Key{KeyKind::Left, 0};
    case kPadRight: return Key{KeyKind::Right, 0};
    case kPadEnter: return Key{KeyKind::Enter, 0};
    case 0x35: return Key{KeyKind::Char, '/'};  // keypad '/'
    default: return Key{};  // fake shifts (E0 2A / E0 36), Home, Insert, ... ignored
  }
}

Key KeyboardDecoder::feed(uint8_t scancode) {
  if (skip_ > 0) {
    --skip_;
    return Key{};
  }
  if (scancode == kPausePrefix) {
    skip_ = kPauseFollowBytes;
    extended_ = false;
    return Key{};
  }
  if (scancode == kExtendedPrefix) {
    extended_ = true;
    return Key{};
  }
  const bool released = (scancode & kReleased) != 0;
  const auto code = static_cast<uint8_t>(scancode & ~kReleased);
  if (extended_) {
    extended_ = false;
    return extended(code, released);
  }
  switch (code) {
    case kLeftShift: left_shift_ = !released; return Key{};
    case kRightShift: right_shift_ = !released; return Key{};
    case kLeftCtrl: left_ctrl_ = !released; return Key{};
    case kCapsLock:
      if (!released) caps_lock_ = !caps_lock_;
      return Key{};
    default: break;
  }
  if (released) return Key{};
  switch (code) {
    case kPadUp: return Key{KeyKind::Up, 0};
    case kPadDown: return Key{KeyKind::Down, 0};
    case kPadLeft: return Key{KeyKind::Left, 0};
    case kPadRight: return Key{KeyKind::Right, 0};
    case 0x4A: return Key{KeyKind::Char, '-'};  // keypad '-'
    case 0x4E: return Key{KeyKind::Char, '+'};  // keypad '+'
    default: break;
  }
  if (code >= kTableSize) return Key{};
  char c = shift() ? kShifted[code] : kPlain[code];
  if (c == 0) return Key{};
  if (is_letter(c) && caps_lock_) {
    // Caps lock inverts the case shift gives letters (shift + caps lock = lower case).
    c = shift() ? kPlain[code] : kShifted[code];
  }
  if (ctrl()) {
    // Ctrl + letter is the control byte (Ctrl-C 0x03, Ctrl-U 0x15); other ctrl chords nothing.
    if (!is_letter(c)) return Key{};
    return key_from_byte(static_cast<uint8_t>(c & 0x1F));
  }
  if (c == '\t') c = ' ';  // the editor has no tab stops: a tab is typed as a space
  return key_from_byte(static_cast<uint8_t>(c));
}

}  // namespace console
