// One I/O APIC (82093AA IOAPIC datasheet §3): indirect register access and redirection entries.
#pragma once

#include <stdint.h>

namespace kernel::x86 {

class IoApic {
 public:
  // Binds to the register window at physical `address` (from the MADT) serving GSIs from
  // `gsi_base`, and reads the pin count from the version register.
  void attach(uint64_t address, uint32_t gsi_base);

  [[nodiscard]] uint32_t pin_count() const { return pin_count_; }
  [[nodiscard]] uint32_t gsi_base() const { return gsi_base_; }
  [[nodiscard]] uint8_t id();

  // Redirection entry of `pin` (82093AA §3.2.4). Precondition: pin < pin_count().
  [[nodiscard]] uint64_t entry(uint32_t pin);
  void set_entry(uint32_t pin, uint64_t value);
  void set_masked(uint32_t pin, bool masked);
  void mask_all();

 private:
  [[nodiscard]] uint32_t read(uint32_t reg);
  void write(uint32_t reg, uint32_t value);

  volatile uint32_t* window_ = nullptr;  // IOREGSEL at +0x00, IOWIN at +0x10
  uint32_t gsi_base_ = 0;
  uint32_t pin_count_ = 0;
};

}  // namespace kernel::x86
