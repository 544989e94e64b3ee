// The 8254 programmable interval timer: channel 2 as a gated one-shot reference for TSC
// calibration and checks, channel 0 as the periodic-timer fallback (Intel 8254 datasheet).
#pragma once

#include <stdint.h>

#include "arch/io_port.h"

namespace kernel::x86::pit {

inline constexpr uint64_t kHz = 1193182;  // 14.31818 MHz / 12

// Starts channel 2 counting down from `count` (mode 0, interrupt on terminal count), with the
// gate raised through port 0x61 and the speaker output off. Precondition: count > 0.
void channel2_start(IoPorts& ports, uint16_t count);
// True once channel 2 reached terminal count (OUT2, port 0x61 bit 5).
[[nodiscard]] bool channel2_expired(IoPorts& ports);
// The current count of channel 2 (latched, so both bytes belong together).
[[nodiscard]] uint16_t channel2_count(IoPorts& ports);
// Lowers the channel 2 gate.
void channel2_stop(IoPorts& ports);

// Channel 0 in mode 2 (rate generator) at `hz`, driving ISA IRQ 0; stop() sets mode 0 with no
// count, which leaves OUT0 low and raises no more edges.
void channel0_periodic(IoPorts& ports, uint32_t hz);
void channel0_stop(IoPorts& ports);

}  // namespace kernel::x86::pit
