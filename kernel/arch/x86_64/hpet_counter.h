// The HPET main counter as a read-only reference clock (IA-PC HPET spec 1.0a §2.3).
#pragma once

#include <stdint.h>

namespace kernel::x86::hpet {

// Starts the main counter of the block at physical `address` if it is halted (the comparators
// stay as the firmware left them: disabled). Returns false if the period is out of spec.
bool init(uint64_t address);
[[nodiscard]] bool present();
[[nodiscard]] uint64_t hz();
// The main counter, widened to 64 bits across wraps when the counter is 32-bit (call at least
// once per wrap period: ~300 s at QEMU's 14.3 MHz).
[[nodiscard]] uint64_t read();

}  // namespace kernel::x86::hpet
