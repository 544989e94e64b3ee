// muboot's message output: every line goes to the firmware console and straight to COM1.
#pragma once

#include "status.h"
#include "text.h"
#include "uefi.h"

namespace muboot {

// Sets up ConOut (from `system_table`) and COM1 (16550 at 0x3F8, 115200 8N1, polled) if present.
void console_init(EFI_SYSTEM_TABLE* system_table);

// After ExitBootServices ConOut must not be touched (UEFI 2.10 §7.4): COM1 only from then on.
void console_detach_firmware();

// Prints "muboot: <line>" on both outputs.
void print(const LineBuffer& line);
void print(const char* text);
// "muboot: warning: <text>".
void warn(const char* text);
// "muboot: error: <subject>: <reason> (<efi status>)".
void print_error(const Status& status);

}  // namespace muboot
