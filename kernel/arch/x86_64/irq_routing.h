// Portable interrupt-routing logic: MADT lines to IOAPIC pins, redirection-entry encoding and
// vector allocation. No hardware access; host-tested (tests/unit/kernel_core/irq_routing_test.cc).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "acpi/madt.h"

namespace kernel::x86 {

// 82093AA IOAPIC datasheet §3.2.4, I/O Redirection Table registers (64 bits each).
inline constexpr uint64_t kRedirectionActiveLow = 1ULL << 13;  // INTPOL
inline constexpr uint64_t kRedirectionLevel = 1ULL << 15;      // trigger mode
inline constexpr uint64_t kRedirectionMasked = 1ULL << 16;     // interrupt mask
inline constexpr unsigned kRedirectionDestinationShift = 56;   // physical APIC id

// A redirection entry: fixed delivery, physical destination mode, `vector` to `apic_id`.
[[nodiscard]] constexpr uint64_t redirection_entry(uint8_t vector, uint8_t apic_id, bool active_low,
                                                   bool level, bool masked) {
  return static_cast<uint64_t>(vector) | (active_low ? kRedirectionActiveLow : 0) |
         (level ? kRedirectionLevel : 0) | (masked ? kRedirectionMasked : 0) |
         (static_cast<uint64_t>(apic_id) << kRedirectionDestinationShift);
}

// Where a GSI lands: which IOAPIC (index into MadtInfo::ioapics), which pin, how it is wired.
struct PinRoute {
  bool valid = false;
  size_t ioapic_index = 0;
  uint32_t pin = 0;
  uint32_t gsi = 0;
  bool active_low = false;
  bool level = false;
};

// Routes GSI `gsi` given each IOAPIC's pin count (`pin_counts[i]` for MadtInfo::ioapics[i],
// from its version register). Invalid when no IOAPIC covers the GSI.
[[nodiscard]] PinRoute route_gsi(const kernel::acpi::MadtInfo& madt, const uint32_t* pin_counts,
                                 uint32_t gsi, bool active_low, bool level);

// Routes ISA IRQ `isa_irq` through the MADT source overrides (ACPI 6.5 §5.2.12.5).
[[nodiscard]] PinRoute route_isa(const kernel::acpi::MadtInfo& madt, const uint32_t* pin_counts,
                                 uint8_t isa_irq);

// A set of free interrupt vectors in [first, last]: allocation takes the lowest free one.
class VectorAllocator {
 public:
  VectorAllocator(uint8_t first, uint8_t last) : first_(first), last_(last) {}
  // Returns a vector, or 0 when the range is exhausted (0 is never allocatable: it is #DE).
  [[nodiscard]] uint8_t allocate();
  // Claims a specific vector; false if outside the range or taken.
  [[nodiscard]] bool claim(uint8_t vector);
  void release(uint8_t vector);
  [[nodiscard]] bool in_use(uint8_t vector) const {
    return (used_[vector / 64] >> (vector % 64)) & 1;
  }

 private:
  uint64_t used_[4] = {};
  uint8_t first_;
  uint8_t last_;
};

}  // namespace kernel::x86
