// x86 port I/O for the console's devices. The thread's I/O-port grant (TcbSetIoPorts, set up by
// init from the manifest) lets these run in user mode; other ports fault.
#pragma once

#include <stdint.h>

namespace console {

inline uint8_t inb(uint16_t port) {
  uint8_t value;
  asm volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
  return value;
}

inline void outb(uint16_t port, uint8_t value) {
  asm volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

}  // namespace console
