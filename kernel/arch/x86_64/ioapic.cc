// I/O APIC register access (82093AA IOAPIC datasheet §3.1-3.2).
#include "arch/x86_64/ioapic.h"

#include "arch/x86_64/irq_routing.h"
#include "mu/bootinfo.h"

namespace kernel::x86 {
namespace {

// 82093AA §3.2: IOAPICID, IOAPICVER, and the redirection table from 0x10 (two words per pin).
constexpr uint32_t kRegId = 0x00;
constexpr uint32_t kRegVersion = 0x01;
constexpr uint32_t kRegRedirection = 0x10;

}  // namespace

void IoApic::attach(uint64_t address, uint32_t gsi_base) {
  // Through the HHDM (write-back from the loader; MTRRs keep it UC on hardware; wip-mem will map
  // it UC explicitly).
  window_ = reinterpret_cast<volatile uint32_t*>(mu::kHhdmBase + address);
  gsi_base_ = gsi_base;
  pin_count_ = ((read(kRegVersion) >> 16) & 0xFF) + 1;  // bits 23:16: maximum redirection entry
}

uint32_t IoApic::read(uint32_t reg) {
  window_[0] = reg;
  return window_[4];
}

void IoApic::write(uint32_t reg, uint32_t value) {
  window_[0] = reg;
  window_[4] = value;
}

uint8_t IoApic::id() { return static_cast<uint8_t>((read(kRegId) >> 24) & 0x0F); }

uint64_t IoApic::entry(uint32_t pin) {
  const uint32_t low = read(kRegRedirection + 2 * pin);
  const uint32_t high = read(kRegRedirection + 2 * pin + 1);
  return (static_cast<uint64_t>(high) << 32) | low;
}

void IoApic::set_entry(uint32_t pin, uint64_t value) {
  // Mask first, then the destination, then the low word (vector, mode, final mask bit), so the
  // pin never fires with a half-written entry.
  write(kRegRedirection + 2 * pin, static_cast<uint32_t>(kRedirectionMasked));
  write(kRegRedirection + 2 * pin + 1, static_cast<uint32_t>(value >> 32));
  write(kRegRedirection + 2 * pin, static_cast<uint32_t>(value));
}

void IoApic::set_masked(uint32_t pin, bool masked) {
  uint32_t low = read(kRegRedirection + 2 * pin);
  if (masked) {
    low |= static_cast<uint32_t>(kRedirectionMasked);
  } else {
    low &= ~static_cast<uint32_t>(kRedirectionMasked);
  }
  write(kRegRedirection + 2 * pin, low);
}

void IoApic::mask_all() {
  for (uint32_t pin = 0; pin < pin_count_; ++pin) {
    set_entry(pin, redirection_entry(0, 0, false, false, true));
  }
}

}  // namespace kernel::x86
