// The legacy 8259A PIC pair: remapped away from the exception vectors and fully masked.
#pragma once

#include "arch/io_port.h"

namespace kernel::x86::pic {

inline constexpr uint8_t kMasterVector = 0x20;  // IRQ 0-7 -> 0x20-0x27
inline constexpr uint8_t kSlaveVector = 0x28;   // IRQ 8-15 -> 0x28-0x2F

// Reinitialises both PICs (8259A datasheet, ICW1-ICW4) with vector bases 0x20/0x28 and masks
// every line. A spurious IRQ 7/15 can still arrive at 0x27/0x2F; irq::dispatch ignores those.
void remap_and_mask(IoPorts& ports);

}  // namespace kernel::x86::pic
