// Bytes from a serial terminal to Keys: single bytes as key_from_byte, plus the VT100/xterm
// cursor sequences ESC [ A/B/C/D (and ESC O A/B/C/D, application cursor mode) for up, down,
// right and left. Other escape sequences are consumed and ignored. "\r\n" (a terminal that sends
// both) is one Enter.
#pragma once

#include <stdint.h>

#include "keys.h"

namespace console {

class SerialKeyDecoder {
 public:
  // One byte in; the key it completes (None while a sequence is still open).
  [[nodiscard]] Key feed(uint8_t byte);

 private:
  enum class State : uint8_t { Normal, Escape, Sequence };
  State state_ = State::Normal;
  bool after_cr_ = false;  // the previous byte was '\r': a '\n' now is part of the same Enter
};

}  // namespace console
