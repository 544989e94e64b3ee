// The kernel's print API: formatted text fanned out to every registered console (serial, screen).
#pragma once

#include <stdarg.h>
#include <stddef.h>

#include "lib/format.h"

namespace kernel {

inline constexpr size_t kMaxConsoles = 4;

// Makes a console's buffered output visible (the framebuffer console draws lazily).
using ConsoleFlush = void (*)();

// Adds a console. Consoles receive every byte printed afterwards; `flush` (optional) is called
// by console_flush(). Returns false when full.
// Not locked: called on the boot CPU with interrupts off (an SMP issue adds a spinlock).
[[nodiscard]] bool console_register(OutputSink sink, ConsoleFlush flush = nullptr);

// Brings every console up to date. Called when the CPU idles and before the kernel stops
// (halt, power-off, test exit, panic), since a deferred console would otherwise lose the end.
void console_flush();

// A sink that writes to all consoles (for code that formats through an OutputSink).
[[nodiscard]] OutputSink console_sink();

// Writes raw bytes to all consoles.
void console_write(const char* data, size_t length);

size_t kprintf(const char* format, ...) __attribute__((format(printf, 1, 2)));
size_t kvprintf(const char* format, va_list args);

}  // namespace kernel
