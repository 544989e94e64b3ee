// The 16550 UART on COM1: polled output, interrupt-driven input (receive-data interrupt on
// ISA line 4; the console drains the receive FIFO, then acknowledges the line).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace console {

class Uart {
 public:
  static constexpr uint16_t kCom1 = 0x3F8;
  static constexpr uint16_t kLastPort = kCom1 + 7;

  // Programs the FIFO (receive trigger at 1 byte, so each key arrives at once) and enables the
  // receive-data interrupt. Keeps the line settings the kernel chose (115200 8N1). Returns false
  // when no UART answers (the scratch register does not hold a value).
  // `ports` is the IoPort grant covering kCom1..kLastPort.
  bool init(uint64_t ports);
  [[nodiscard]] bool present() const { return present_; }

  // Writes bytes, "\n" as "\r\n" (as the kernel does), waiting a bounded time for the
  // transmitter so a wedged UART cannot hang the console.
  void write(const char* data, size_t length);

  // Takes the next received byte; false when the receive FIFO is empty.
  bool read(uint8_t* byte);

 private:
  void put(uint8_t byte);
  bool present_ = false;
  uint64_t ports_ = 0;
};

}  // namespace console
