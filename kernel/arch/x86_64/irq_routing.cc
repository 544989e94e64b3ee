// Portable interrupt-routing logic (see irq_routing.h).
#include "arch/x86_64/irq_routing.h"

namespace kernel::x86 {

PinRoute route_gsi(const kernel::acpi::MadtInfo& madt, const uint32_t* pin_counts, uint32_t gsi,
                   bool active_low, bool level) {
  PinRoute route;
  const kernel::acpi::MadtIoApic* ioapic = kernel::acpi::ioapic_for_gsi(madt, gsi);
  if (ioapic == nullptr) return route;
  const size_t index = static_cast<size_t>(ioapic - madt.ioapics);
  const uint32_t pin = gsi - ioapic->gsi_base;
  if (pin >= pin_counts[index]) return route;  // a gap between IOAPIC ranges
  route.valid = true;
  route.ioapic_index = index;
  route.pin = pin;
  route.gsi = gsi;
  route.active_low = active_low;
  route.level = level;
  return route;
}

PinRoute route_isa(const kernel::acpi::MadtInfo& madt, const uint32_t* pin_counts,
                   uint8_t isa_irq) {
  const kernel::acpi::IsaIrqRoute isa = kernel::acpi::irq_to_gsi(madt, isa_irq);
  return route_gsi(madt, pin_counts, isa.gsi, isa.active_low, isa.level_triggered);
}

uint8_t VectorAllocator::allocate() {
  for (unsigned vector = first_; vector <= last_; ++vector) {
    if (vector != 0 && claim(static_cast<uint8_t>(vector))) return static_cast<uint8_t>(vector);
  }
  return 0;
}

bool VectorAllocator::claim(uint8_t vector) {
  if (vector < first_ || vector > last_ || in_use(vector)) return false;
  used_[vector / 64] |= 1ULL << (vector % 64);
  return true;
}

void VectorAllocator::release(uint8_t vector) { used_[vector / 64] &= ~(1ULL << (vector % 64)); }

}  // namespace kernel::x86
