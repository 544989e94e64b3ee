// muboot's message output: firmware ConOut plus direct polled writes to the COM1 16550 UART.
#include "console.h"

#include "cpu.h"

namespace muboot {
namespace {

// PC16550D data sheet register offsets from the base port.
constexpr uint16_t kCom1 = 0x3F8;
constexpr uint16_t kRegData = 0;  // THR/RBR, DLL when DLAB=1
constexpr uint16_t kRegIer = 1;   // DLM when DLAB=1
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
// True while the firmware's own console already copies ConOut to a UART (OVMF does): writing
// to COM1 as well would print every line twice.
bool g_con_out_reaches_serial = false;

// UEFI 2.10 §3.3: the "ConOut" global variable is the device path of the console output
// devices; a Messaging/UART node (§10.3.4.14) in it means ConOut reaches a serial port.
bool con_out_includes_uart(EFI_SYSTEM_TABLE* system_table) {
  EFI_GUID global = EFI_GLOBAL_VARIABLE;
  uint8_t path[1024];
  UINTN size = sizeof(path);
  UINT32 attributes = 0;
  CHAR16 name[] = {'C', 'o', 'n', 'O', 'u', 't', 0};
  if (system_table->RuntimeServices->GetVariable(name, &global, &attributes, &size, path) !=
      EFI_SUCCESS) {
    return false;
  }
  // Walk the nodes (type, subtype, 16-bit length), staying inside what was read.
  for (UINTN at = 0; at + 4 <= size;) {
    const uint8_t type = path[at];
    const uint8_t subtype = path[at + 1];
    const UINTN length = static_cast<UINTN>(path[at + 2] | (path[at + 3] << 8));
    if (type == MESSAGING_DEVICE_PATH && subtype == MSG_UART_DP) return true;
    if (length < 4) return false;  // malformed: stop rather than loop
    at += length;
  }
  return false;
}

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
  cpu::outb(kCom1 + kRegIer, 0);   // DLM: divisor high byte
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
  if (g_con_out != nullptr && g_con_out_reaches_serial) return;
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
  g_con_out_reaches_serial = con_out_includes_uart(system_table);
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
