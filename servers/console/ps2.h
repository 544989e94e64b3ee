// The i8042 PS/2 controller's keyboard port: scan codes (set 1, translated) on port 0x60,
// status on 0x64, interrupt on ISA line 1.
#pragma once

#include <stdint.h>

namespace console {

class Ps2Controller {
 public:
  static constexpr uint16_t kDataPort = 0x60;
  static constexpr uint16_t kStatusPort = 0x64;  // read: status; write: command

  // Flushes stale output and makes sure the keyboard interrupt and the keyboard clock are on in
  // the controller's configuration byte (leaving translation as the firmware set it). Returns
  // false when the controller does not answer (no PS/2 controller).
  // `data_ports` and `status_ports` are the IoPort grants for 0x60 and 0x64 (the same slot when
  // one range covers both).
  bool init(uint64_t data_ports, uint64_t status_ports);

  // Takes the next scan code from the keyboard; false when the output buffer is empty (bytes
  // from the auxiliary (mouse) port are read and dropped).
  bool read(uint8_t* scancode);

 private:
  [[nodiscard]] bool status(uint8_t* value) const;
  [[nodiscard]] bool data(uint8_t* value) const;
  [[nodiscard]] bool command(uint8_t value) const;
  [[nodiscard]] bool write_data(uint8_t value) const;
  [[nodiscard]] bool wait_input_empty() const;
  [[nodiscard]] bool wait_output_full() const;
  void flush() const;

  uint64_t data_ports_ = 0;
  uint64_t status_ports_ = 0;
};

}  // namespace console
