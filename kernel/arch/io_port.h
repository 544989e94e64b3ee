// The seam for I/O-port access: real ports in the kernel, fakes in host tests (CONVENTIONS §7).
#pragma once

#include <stdint.h>

namespace kernel {

class IoPorts {
 public:
  virtual uint8_t read8(uint16_t port) = 0;
  virtual uint16_t read16(uint16_t port) = 0;
  virtual uint32_t read32(uint16_t port) = 0;
  virtual void write8(uint16_t port, uint8_t value) = 0;
  virtual void write16(uint16_t port, uint16_t value) = 0;
  virtual void write32(uint16_t port, uint32_t value) = 0;

 protected:
  ~IoPorts() = default;
};

}  // namespace kernel
