// 16550 register use (PC16550D datasheet): RBR/THR 0, IER 1, IIR/FCR 2, LCR 3, MCR 4, LSR 5,
// SCR 7.
#include "uart.h"

#include "port_io.h"

namespace console {
namespace {

constexpr uint16_t kData = 0;
constexpr uint16_t kInterruptEnable = 1;
constexpr uint16_t kFifoControl = 2;
constexpr uint16_t kModemControl = 4;
constexpr uint16_t kLineStatus = 5;
constexpr uint16_t kScratch = 7;

constexpr uint8_t kIerReceivedData = 1u << 0;
constexpr uint8_t kFcrEnableAndClear = 0x07;  // FIFOs on, both cleared, receive trigger 1 byte
constexpr uint8_t kMcrDtrRtsOut2 = 0x0B;      // OUT2 gates the interrupt line on PC boards
constexpr uint8_t kLsrDataReady = 1u << 0;
constexpr uint8_t kLsrThrEmpty = 1u << 5;
constexpr int kTransmitSpins = 100000;

}  // namespace

bool Uart::init(uint64_t ports) {
  ports_ = ports;
  if (!has_ports(ports_)) return false;
  outb(kCom1 + kScratch, 0x5A);
  if (inb(kCom1 + kScratch) != 0x5A) return false;
  outb(kCom1 + kInterruptEnable, 0);
  outb(kCom1 + kFifoControl, kFcrEnableAndClear);
  outb(kCom1 + kModemControl, kMcrDtrRtsOut2);
  uint8_t stale = 0;
  while (read(&stale)) {
  }
  outb(kCom1 + kInterruptEnable, kIerReceivedData);
  present_ = true;
  return true;
}

void Uart::put(uint8_t byte) {
  for (int spin = 0; spin < kTransmitSpins; ++spin) {
    if ((inb(kCom1 + kLineStatus) & kLsrThrEmpty) != 0) break;
  }
  outb(kCom1 + kData, byte);
}

void Uart::write(const char* data, size_t length) {
  if (!present_ || !has_ports(ports_)) return;
  for (size_t i = 0; i < length; ++i) {
    if (data[i] == '\n') put('\r');
    put(static_cast<uint8_t>(data[i]));
  }
}

bool Uart::read(uint8_t* byte) {
  if (!has_ports(ports_)) return false;
  if ((inb(kCom1 + kLineStatus) & kLsrDataReady) == 0) return false;
  *byte = inb(kCom1 + kData);
  return true;
}

}  // namespace console
