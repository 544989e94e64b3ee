// 8254 PIT programming (Intel 8254 datasheet: control word format, modes 0 and 2, counter latch).
#include "arch/x86_64/pit.h"

namespace kernel::x86::pit {
namespace {

constexpr uint16_t kChannel0 = 0x40;
constexpr uint16_t kChannel2 = 0x42;
constexpr uint16_t kCommand = 0x43;
constexpr uint16_t kPortB = 0x61;  // bit 0: channel 2 gate, bit 1: speaker, bit 5: OUT2
constexpr uint8_t kGate2 = 1u << 0;
constexpr uint8_t kSpeaker = 1u << 1;
constexpr uint8_t kOut2 = 1u << 5;

// Control word: SC (7:6), RW = 11 lobyte/hibyte (5:4), mode (3:1), binary (0).
constexpr uint8_t kChannel2Mode0 = 0xB0;
constexpr uint8_t kChannel2Latch = 0x80;
constexpr uint8_t kChannel0Mode2 = 0x34;
constexpr uint8_t kChannel0Mode0 = 0x30;

}  // namespace

void channel2_start(IoPorts& ports, uint16_t count) {
  const uint8_t port_b = ports.read8(kPortB);
  ports.write8(kPortB, static_cast<uint8_t>(port_b & ~(kGate2 | kSpeaker)));
  ports.write8(kCommand, kChannel2Mode0);
  ports.write8(kChannel2, static_cast<uint8_t>(count));
  ports.write8(kChannel2, static_cast<uint8_t>(count >> 8));
  // Counting starts on the rising gate edge (mode 0 counts only while the gate is high).
  ports.write8(kPortB, static_cast<uint8_t>((port_b & ~kSpeaker) | kGate2));
}

bool channel2_expired(IoPorts& ports) { return (ports.read8(kPortB) & kOut2) != 0; }

uint16_t channel2_count(IoPorts& ports) {
  ports.write8(kCommand, kChannel2Latch);
  const uint8_t low = ports.read8(kChannel2);
  const uint8_t high = ports.read8(kChannel2);
  return static_cast<uint16_t>(low | (high << 8));
}

void channel2_stop(IoPorts& ports) {
  ports.write8(kPortB, static_cast<uint8_t>(ports.read8(kPortB) & ~(kGate2 | kSpeaker)));
}

void channel0_periodic(IoPorts& ports, uint32_t hz) {
  uint32_t divisor = static_cast<uint32_t>((kHz + hz / 2) / hz);
  if (divisor < 2) divisor = 2;
  if (divisor > 0xFFFF) divisor = 0xFFFF;
  ports.write8(kCommand, kChannel0Mode2);
  ports.write8(kChannel0, static_cast<uint8_t>(divisor));
  ports.write8(kChannel0, static_cast<uint8_t>(divisor >> 8));
}

void channel0_stop(IoPorts& ports) { ports.write8(kCommand, kChannel0Mode0); }

}  // namespace kernel::x86::pit
