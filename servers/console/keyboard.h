// PS/2 keyboard scan codes (set 1, what the i8042 delivers with translation on, QEMU's default)
// to Keys, US layout. Tracks shift, caps lock and ctrl; E0-prefixed keys are the cursor block
// (arrows, keypad Enter, right ctrl); the E1 Pause sequence is skipped.
#pragma once

#include <stdint.h>

#include "keys.h"

namespace console {

class KeyboardDecoder {
 public:
  // One scan-code byte in; the key it completes (None for releases, modifiers, prefixes).
  [[nodiscard]] Key feed(uint8_t scancode);

  [[nodiscard]] bool shift() const { return left_shift_ || right_shift_; }
  [[nodiscard]] bool ctrl() const { return left_ctrl_ || right_ctrl_; }
  [[nodiscard]] bool caps_lock() const { return caps_lock_; }

 private:
  [[nodiscard]] Key extended(uint8_t code, bool released);

  bool extended_ = false;     // the previous byte was 0xE0
  uint8_t skip_ = 0;          // bytes left of an E1 (Pause) sequence
  bool left_shift_ = false;
  bool right_shift_ = false;
  bool left_ctrl_ = false;
  bool right_ctrl_ = false;
  bool caps_lock_ = false;
};

}  // namespace console
