// 16550 UART on COM1 as the always-available kernel console (PC16550D datasheet register map).
#include "arch/arch.h"
#include "arch/x86_64/cpu.h"

namespace kernel::arch {
namespace {

constexpr uint16_t kCom1 = 0x3F8;
// Register offsets from the base port.
constexpr uint16_t kData = 0;             // THR/RBR; divisor low with DLAB
constexpr uint16_t kInterruptEnable = 1;  // IER; divisor high with DLAB
constexpr uint16_t kFifoControl = 2;
constexpr uint16_t kLineControl = 3;
constexpr uint16_t kModemControl = 4;
constexpr uint16_t kLineStatus = 5;
constexpr uint16_t kScratch = 7;
constexpr uint8_t kLineStatusThrEmpty = 1u << 5;

bool g_present = false;

void put_byte(uint8_t byte) {
  // Bounded wait so a wedged or absent UART cannot hang the kernel.
  for (int spin = 0; spin < 100000; ++spin) {
    if ((x86::inb(kCom1 + kLineStatus) & kLineStatusThrEmpty) != 0) break;
  }
  x86::outb(kCom1 + kData, byte);
}

void serial_write(void*, const char* data, size_t length) {
  if (!g_present) return;
  for (size_t i = 0; i < length; ++i) {
    if (data[i] == '\n') put_byte('\r');
    put_byte(static_cast<uint8_t>(data[i]));
  }
}

}  // namespace

void serial_init() {
  using x86::inb;
  using x86::outb;
  // An absent UART reads back 0xFF; the scratch register tells them apart.
  outb(kCom1 + kScratch, 0xA5);
  if (inb(kCom1 + kScratch) != 0xA5) return;
  outb(kCom1 + kInterruptEnable, 0x00);  // polled: no interrupts
  outb(kCom1 + kLineControl, 0x80);      // DLAB on to set the divisor
  outb(kCom1 + kData, 0x01);             // 115200 baud = 115200 / 1
  outb(kCom1 + kInterruptEnable, 0x00);
  outb(kCom1 + kLineControl, 0x03);   // 8 data bits, no parity, 1 stop bit, DLAB off
  outb(kCom1 + kFifoControl, 0xC7);   // FIFOs on, cleared, 14-byte threshold
  outb(kCom1 + kModemControl, 0x03);  // DTR, RTS
  g_present = true;
}

OutputSink serial_sink() { return OutputSink{serial_write, nullptr}; }

}  // namespace kernel::arch
