// The real I/O-port implementation behind the IoPorts seam.
#include "arch/arch.h"
#include "arch/x86_64/cpu.h"

namespace kernel::arch {
namespace {

class X86IoPorts final : public IoPorts {
 public:
  uint8_t read8(uint16_t port) override { return x86::inb(port); }
  uint16_t read16(uint16_t port) override { return x86::inw(port); }
  uint32_t read32(uint16_t port) override { return x86::inl(port); }
  void write8(uint16_t port, uint8_t value) override { x86::outb(port, value); }
  void write16(uint16_t port, uint16_t value) override { x86::outw(port, value); }
  void write32(uint16_t port, uint32_t value) override { x86::outl(port, value); }
};

X86IoPorts g_io_ports;

}  // namespace

IoPorts& io_ports() { return g_io_ports; }

}  // namespace kernel::arch
