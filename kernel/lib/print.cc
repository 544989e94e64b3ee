// Console registry and kprintf.
#include "lib/print.h"

namespace kernel {
namespace {
OutputSink g_consoles[kMaxConsoles];
ConsoleFlush g_flushes[kMaxConsoles];
size_t g_console_count = 0;

void fan_out(void*, const char* data, size_t length) { console_write(data, length); }
}  // namespace

bool console_register(OutputSink sink, ConsoleFlush flush) {
  if (g_console_count == kMaxConsoles) return false;
  g_flushes[g_console_count] = flush;
  g_consoles[g_console_count++] = sink;
  return true;
}

void console_flush() {
  for (size_t i = 0; i < g_console_count; ++i) {
    if (g_flushes[i] != nullptr) g_flushes[i]();
  }
}

void console_write(const char* data, size_t length) {
  for (size_t i = 0; i < g_console_count; ++i) {
    g_consoles[i].write(g_consoles[i].context, data, length);
  }
}

OutputSink console_sink() { return OutputSink{fan_out, nullptr}; }

size_t kvprintf(const char* fmt, va_list args) {
  return vformat(OutputSink{fan_out, nullptr}, fmt, args);
}

size_t kprintf(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  const size_t n = kvprintf(fmt, args);
  va_end(args);
  return n;
}

}  // namespace kernel
