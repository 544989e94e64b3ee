// x86 port I/O for the console's devices. A thread holds one I/O-port grant at a time
// (TcbSetIoPorts; init sets the first range of the manifest line), so each device selects its
// own grant before it touches its ports; other ports fault.
#pragma once

#include <stdint.h>

#include "mu/program.h"
#include "mu_caps.h"

namespace console {

inline uint8_t inb(uint16_t port) {
  uint8_t value;
  asm volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
  return value;
}

inline void outb(uint16_t port, uint8_t value) {
  asm volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

// Makes IoPort cap `grant_slot` the thread's port range (one system call when it changes).
// Returns false when the kernel refuses.
inline bool select_ports(uint64_t grant_slot) {
  static uint64_t selected = 0;  // 0: whatever init set
  if (grant_slot == selected) return true;
  if (mu::user::tcb_set_io_ports(mu::kProgSlotTcb, grant_slot) != 0) return false;
  selected = grant_slot;
  return true;
}

}  // namespace console
