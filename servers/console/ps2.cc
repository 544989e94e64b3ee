// i8042 commands: 0x20 read configuration byte, 0x60 write it. Status bit 0 = output buffer
// full (a byte to read at 0x60), bit 1 = input buffer full (wait before writing), bit 5 = the
// byte came from the auxiliary port.
#include "ps2.h"

#include "port_io.h"

namespace console {
namespace {

constexpr uint8_t kStatusOutputFull = 1u << 0;
constexpr uint8_t kStatusInputFull = 1u << 1;
constexpr uint8_t kStatusAuxData = 1u << 5;
constexpr uint8_t kCommandReadConfig = 0x20;
constexpr uint8_t kCommandWriteConfig = 0x60;
constexpr uint8_t kConfigKeyboardInterrupt = 1u << 0;
constexpr uint8_t kConfigKeyboardClockOff = 1u << 4;
constexpr int kSpins = 100000;
constexpr int kMaxFlush = 64;  // bytes dropped at most while flushing (a stuck controller)

bool wait_input_empty() {
  for (int spin = 0; spin < kSpins; ++spin) {
    if ((inb(Ps2Controller::kStatusPort) & kStatusInputFull) == 0) return true;
  }
  return false;
}

bool wait_output_full() {
  for (int spin = 0; spin < kSpins; ++spin) {
    if ((inb(Ps2Controller::kStatusPort) & kStatusOutputFull) != 0) return true;
  }
  return false;
}

void flush() {
  for (int i = 0; i < kMaxFlush && (inb(Ps2Controller::kStatusPort) & kStatusOutputFull) != 0;
       ++i) {
    (void)inb(Ps2Controller::kDataPort);
  }
}

}  // namespace

bool Ps2Controller::init() {
  if (inb(kStatusPort) == 0xFF) return false;  // floating bus: no controller
  flush();
  if (!wait_input_empty()) return false;
  outb(kStatusPort, kCommandReadConfig);
  if (!wait_output_full()) return false;
  const uint8_t config = inb(kDataPort);
  const auto wanted =
      static_cast<uint8_t>((config | kConfigKeyboardInterrupt) & ~kConfigKeyboardClockOff);
  if (wanted != config) {
    if (!wait_input_empty()) return false;
    outb(kStatusPort, kCommandWriteConfig);
    if (!wait_input_empty()) return false;
    outb(kDataPort, wanted);
  }
  flush();
  return true;
}

bool Ps2Controller::read(uint8_t* scancode) {
  for (;;) {
    const uint8_t status = inb(kStatusPort);
    if ((status & kStatusOutputFull) == 0) return false;
    const uint8_t byte = inb(kDataPort);
    if ((status & kStatusAuxData) != 0) continue;
    *scancode = byte;
    return true;
  }
}

}  // namespace console
