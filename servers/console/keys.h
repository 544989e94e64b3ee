// What the console's input devices produce: one editing key at a time. The serial port and the
// PS/2 keyboard each decode their bytes into Keys (serial_keys.h, keyboard.h); the line editor
// (line_editor.h) consumes them.
#pragma once

#include <stdint.h>

namespace console {

enum class KeyKind : uint8_t {
  None = 0,   // nothing (a modifier, a key release, an ignored byte)
  Char,       // a printable byte in `ch` (0x20..0x7E)
  Enter,      // end the line
  Backspace,  // delete the byte before the cursor
  Left,
  Right,
  Up,         // older history entry
  Down,       // newer history entry
  KillLine,   // Ctrl-U: delete the whole line
  Interrupt,  // Ctrl-C: abandon the line
};

struct Key {
  KeyKind kind = KeyKind::None;
  char ch = 0;  // for Char
};

// The key one input byte means on its own: '\r' and '\n' Enter, 0x7F and 0x08 Backspace, 0x03
// Interrupt, 0x15 KillLine, 0x20..0x7E Char; every other byte None (ignored).
[[nodiscard]] constexpr Key key_from_byte(uint8_t byte) {
  switch (byte) {
    case '\r':
    case '\n': return Key{KeyKind::Enter, 0};
    case 0x7F:
    case 0x08: return Key{KeyKind::Backspace, 0};
    case 0x03: return Key{KeyKind::Interrupt, 0};
    case 0x15: return Key{KeyKind::KillLine, 0};
    default: break;
  }
  if (byte >= 0x20 && byte < 0x7F) return Key{KeyKind::Char, static_cast<char>(byte)};
  return Key{};
}

}  // namespace console
