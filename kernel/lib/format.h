// printf-style formatting into a byte sink, shared by every kernel output path and host-tested.
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

namespace kernel {

// Where formatted bytes go. `write` receives runs of bytes that are not NUL-terminated.
struct OutputSink {
  void (*write)(void* context, const char* data, size_t length);
  void* context;
};

// Formats `format` with the C printf conventions (a subset): conversions %s %c %d %i %u %x %X %p
// %%; flags '-' '0'; width and precision (numbers or '*'); length modifiers hh h l ll z j t.
// An unknown conversion is printed literally so a bad format is visible rather than silent.
// Returns the number of bytes produced.
size_t vformat(OutputSink sink, const char* format, va_list args);
size_t format(OutputSink sink, const char* format, ...) __attribute__((format(printf, 2, 3)));

// snprintf semantics: writes at most size-1 bytes plus a NUL (when size > 0) and returns the
// length the full output would have had.
size_t vformat_buffer(char* buffer, size_t size, const char* format, va_list args);
size_t format_buffer(char* buffer, size_t size, const char* format, ...)
    __attribute__((format(printf, 3, 4)));

}  // namespace kernel
