// x86 port I/O for the console's devices. init opens every port range of the manifest line on
// the console's thread (TcbSetIoPorts, one index per range); any other port faults.
#pragma once

#include <stdint.h>

#include "mu/program.h"

namespace console {

inline uint8_t inb(uint16_t port) {
  uint8_t value;
  asm volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
  return value;
}

inline void outb(uint16_t port, uint8_t value) {
  asm volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

// True when the device's IoPort grant exists (its ports are then open on this thread).
inline bool has_ports(uint64_t grant_slot) { return grant_slot != 0; }

}  // namespace console
