// 8259A PIC remap and mask (Intel 8259A datasheet: initialization command words).
#include "arch/x86_64/pic.h"

namespace kernel::x86::pic {
namespace {

constexpr uint16_t kMasterCommand = 0x20, kMasterData = 0x21;
constexpr uint16_t kSlaveCommand = 0xA0, kSlaveData = 0xA1;
constexpr uint8_t kIcw1Init = 0x11;   // ICW1: initialise, ICW4 follows, cascade, edge
constexpr uint8_t kIcw4_8086 = 0x01;  // ICW4: 8086 mode, normal EOI

// A write to the unused POST port 0x80 gives old PICs time between command words.
void io_wait(IoPorts& ports) { ports.write8(0x80, 0); }

}  // namespace

void remap_and_mask(IoPorts& ports) {
  ports.write8(kMasterData, 0xFF);
  ports.write8(kSlaveData, 0xFF);
  ports.write8(kMasterCommand, kIcw1Init);
  io_wait(ports);
  ports.write8(kSlaveCommand, kIcw1Init);
  io_wait(ports);
  ports.write8(kMasterData, kMasterVector);
  io_wait(ports);  // ICW2: vector base
  ports.write8(kSlaveData, kSlaveVector);
  io_wait(ports);
  ports.write8(kMasterData, 0x04);
  io_wait(ports);  // ICW3: slave on IRQ 2
  ports.write8(kSlaveData, 0x02);
  io_wait(ports);  // ICW3: cascade identity 2
  ports.write8(kMasterData, kIcw4_8086);
  io_wait(ports);
  ports.write8(kSlaveData, kIcw4_8086);
  io_wait(ports);
  ports.write8(kMasterData, 0xFF);  // OCW1: mask everything
  ports.write8(kSlaveData, 0xFF);
}

}  // namespace kernel::x86::pic
