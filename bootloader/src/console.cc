// muboot's message output: firmware ConOut plus direct polled writes to the COM1 16550 UART.
#include "console.h"

#include "cpu.h"

namespace muboot {
namespace {

// PC16550D data sheet register offsets from the base port.
constexpr uint16_t kCom1 = 0x3F8;
constexpr uint16_t kRegData = 0;      // THR/RBR, DLL when DLAB=1
constexpr uint16_t kRegIer = 1;       // DLM when DLAB=1
constexpr uint16_t kRegFcr = 2;
constexpr uint16_t kRegLcr = 3;
constexpr uint16_t kRegMcr = 4;
constexpr uint16_t kRegLsr = 5;
constexpr uint16_t kRegScratch = 7;
constexpr uint8_t kLsrThrEmpty = 1 << 5;
constexpr uint8_t kLcrDlab = 1 << 7;
constexpr uint8_t kLcr8N1 = 0x03;

EFI_SIMPLE_TEXT_OUT_PROTOCOL* g_con_out = nullptr;
bool g_serial_present = false;

// A missing UART floats the bus: LSR reads 0xFF and the scratch register does not hold a value.
bool serial_probe() {
  if (cpu::inb(kCom1 + kRegLsr) == 0xFF) return false;
  const uint8_t saved = cpu::inb(kCom1 + kRegScratch);
  cpu::outb(kCom1 + kRegScratch, 0xA5);
  const bool holds = cpu::inb(kCom1 + kRegScratch) == 0xA5;
  cpu::outb(kCom1 + kRegScratch, saved);
  return holds;
}

void serial_init() {
  cpu::outb(kCom1 + kRegIer, 0x00);  // polled: no interrupts
  cpu::outb(kCom1 + kRegLcr, kLcrDlab);
  cpu::outb(kCom1 + kRegData, 1);  // divisor 1: 115200 baud from the 1.8432 MHz clock
  cpu::outb(kCom1 + kRegIer, 0);
  cpu::outb(kCom1 + kRegLcr, kLcr8N1);
  cpu::outb(kCom1 + kRegFcr, 0x07);  // enable and clear FIFOs
  cpu::outb(kCom1 + kRegMcr, 0x03);  // DTR, RTS
}

void serial_put(char c) {
  // Bounded wait: a wedged UART must not hang the loader.
  for (uint32_t spins = 0; spins < 1000000; ++spins) {
    if ((cpu::inb(kCom1 + kRegLsr) & kLsrThrEmpty) != 0) break;
  }
  cpu::outb(kCom1 + kRegData, static_cast<uint8_t>(c));
}

void serial_write(const char* text) {
  if (!g_serial_present) return;
  for (; *text != '\0'; ++text) serial_put(*text);
}

void con_out_write(const char* text) {
  if (g_con_out == nullptr) return;
  char16_t wide[128];
  size_t used = 0;
  auto flush = [&] {
    wide[used] = 0;
    (void)g_con_out->OutputString(g_con_out, reinterpret_cast<CHAR16*>(wide));
    used = 0;
  };
  for (; *text != '\0'; ++text) {
    wide[used++] = static_cast<char16_t>(static_cast<unsigned char>(*text));
    if (used == sizeof(wide) / sizeof(wide[0]) - 1) flush();
  }
  if (used != 0) flush();
}

}  // namespace

void console_init(EFI_SYSTEM_TABLE* system_table) {
  g_con_out = system_table->ConOut;
  g_serial_present = serial_probe();
  if (g_serial_present) serial_init();
}

void console_detach_firmware() { g_con_out = nullptr; }

void print(const LineBuffer& line) {
  con_out_write("muboot: ");
  con_out_write(line.c_str());
  con_out_write("\r\n");
  serial_write("muboot: ");
  serial_write(line.c_str());
  serial_write("\r\n");
}

void print(const char* text) {
  LineBuffer line;
  line.str(text);
  print(line);
}

void warn(const char* text) {
  LineBuffer line;
  line.str("warning: ").str(text);
  print(line);
}

void print_error(const Status& status) {
  LineBuffer line;
  line.str("error: ");
  if (status.subject() != nullptr) line.str(status.subject()).str(": ");
  line.str(status.reason());
  // "not found" reasons already say so; other firmware statuses add detail.
  if (status.efi_status() != 0 && status.efi_status() != EFI_NOT_FOUND) {
    line.str(" (").str(efi_status_string(status.efi_status())).str(")");
  }
  print(line);
}

}  // namespace muboot
