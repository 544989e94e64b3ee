// i8042 commands: 0x20 read configuration byte, 0x60 write it. Status bit 0 = output buffer
// full (a byte to read at 0x60), bit 1 = input buffer full (wait before writing), bit 5 = the
// byte came from the auxiliary port. Ports 0x60 and 0x64 may be two grants (port_io.h).
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

}  // namespace

bool Ps2Controller::status(uint8_t* value) const {
  if (!has_ports(status_ports_)) return false;
  *value = inb(kStatusPort);
  return true;
}

bool Ps2Controller::data(uint8_t* value) const {
  if (!has_ports(data_ports_)) return false;
  *value = inb(kDataPort);
  return true;
}

bool Ps2Controller::command(uint8_t value) const {
  if (!has_ports(status_ports_)) return false;
  outb(kStatusPort, value);
  return true;
}

bool Ps2Controller::write_data(uint8_t value) const {
  if (!has_ports(data_ports_)) return false;
  outb(kDataPort, value);
  return true;
}

bool Ps2Controller::wait_input_empty() const {
  uint8_t s = 0;
  for (int spin = 0; spin < kSpins; ++spin) {
    if (!status(&s)) return false;
    if ((s & kStatusInputFull) == 0) return true;
  }
  return false;
}

bool Ps2Controller::wait_output_full() const {
  uint8_t s = 0;
  for (int spin = 0; spin < kSpins; ++spin) {
    if (!status(&s)) return false;
    if ((s & kStatusOutputFull) != 0) return true;
  }
  return false;
}

void Ps2Controller::flush() const {
  uint8_t s = 0, ignored = 0;
  for (int i = 0; i < kMaxFlush && status(&s) && (s & kStatusOutputFull) != 0; ++i) {
    if (!data(&ignored)) return;
  }
}

bool Ps2Controller::init(uint64_t data_ports, uint64_t status_ports) {
  data_ports_ = data_ports;
  status_ports_ = status_ports;
  uint8_t s = 0;
  if (!status(&s) || s == 0xFF) return false;  // 0xFF: floating bus, no controller
  flush();
  if (!wait_input_empty() || !command(kCommandReadConfig) || !wait_output_full()) return false;
  uint8_t config = 0;
  if (!data(&config)) return false;
  const auto wanted =
      static_cast<uint8_t>((config | kConfigKeyboardInterrupt) & ~kConfigKeyboardClockOff);
  if (wanted != config) {
    if (!wait_input_empty() || !command(kCommandWriteConfig) || !wait_input_empty() ||
        !write_data(wanted)) {
      return false;
    }
  }
  flush();
  return true;
}

bool Ps2Controller::read(uint8_t* scancode) {
  for (;;) {
    uint8_t s = 0, byte = 0;
    if (!status(&s) || (s & kStatusOutputFull) == 0) return false;
    if (!data(&byte)) return false;
    if ((s & kStatusAuxData) != 0) continue;
    *scancode = byte;
    return true;
  }
}

}  // namespace console
