// Local APIC bring-up and register access (Intel SDM vol 3A chapter 11).
#include "arch/x86_64/lapic.h"

#include "arch/x86_64/cpu.h"
#include "mu/bootinfo.h"

namespace kernel::x86::lapic {
namespace {

// IA32_APIC_BASE, SDM vol 3A §11.4.4 figure 11-5.
constexpr uint32_t kMsrApicBase = 0x1B;
constexpr uint64_t kApicBaseEnable = 1ULL << 11;
constexpr uint64_t kApicBaseX2apic = 1ULL << 10;
constexpr uint64_t kApicBaseAddressMask = 0x000FFFFFFFFFF000ULL;
constexpr uint32_t kX2apicMsrBase = 0x800;
constexpr uint32_t kSpuriousEnable = 1u << 8;
constexpr uint32_t kX2apicSelfIpiMsr = 0x83F;
constexpr uint32_t kIcrDeliveryPending = 1u << 12;

bool g_x2apic = false;
uint64_t g_base = 0;
// The xAPIC page through the HHDM. The loader maps it write-back; the MTRRs make the APIC range
// uncacheable on real hardware, and wip-mem will give it an explicit UC mapping.
volatile uint32_t* g_mmio = nullptr;

}  // namespace

uint32_t read(Register reg) {
  if (g_x2apic) return static_cast<uint32_t>(rdmsr(kX2apicMsrBase + (reg >> 4)));
  return g_mmio[reg / 4];
}

void write(Register reg, uint32_t value) {
  if (g_x2apic) {
    wrmsr(kX2apicMsrBase + (reg >> 4), value);
  } else {
    g_mmio[reg / 4] = value;
  }
}

void init() {
  uint64_t base = rdmsr(kMsrApicBase);
  g_x2apic = (base & kApicBaseX2apic) != 0;
  if ((base & kApicBaseEnable) == 0) {
    base |= kApicBaseEnable;
    wrmsr(kMsrApicBase, base);
  }
  g_base = base & kApicBaseAddressMask;
  g_mmio = reinterpret_cast<volatile uint32_t*>(mu::kHhdmBase + g_base);

  write(kTaskPriority, 0);  // accept every priority class
  write(kLvtTimer, kLvtMasked);
  write(kLvtThermal, kLvtMasked);
  write(kLvtPerf, kLvtMasked);
  write(kLvtLint0, kLvtMasked);
  write(kLvtLint1, kLvtNmi);
  write(kLvtError, kErrorVector);
  // CMCI exists only when the version register lists more than 6 LVT entries (SDM §11.5.1).
  if (((read(kVersion) >> 16) & 0xFF) >= 6) write(kLvtCmci, kLvtMasked);
  // Writing the ESR arms it; the read that follows clears stale errors (SDM §11.5.3).
  write(kErrorStatus, 0);
  (void)read(kErrorStatus);
  write(kSpurious, kSpuriousEnable | kSpuriousVector);
  eoi();  // drop anything the firmware left in service
}

bool x2apic_mode() { return g_x2apic; }

uint32_t id() {
  const uint32_t raw = read(kId);
  return g_x2apic ? raw : raw >> 24;
}

uint64_t physical_base() { return g_base; }

void send_self_ipi(uint8_t vector) {
  if (g_x2apic) {
    wrmsr(kX2apicSelfIpiMsr, vector);
    return;
  }
  // ICR low: vector, fixed delivery, level "assert" (bit 14), shorthand self (bits 19:18 = 01).
  write(kIcrLow, (1u << 18) | (1u << 14) | vector);
  while ((read(kIcrLow) & kIcrDeliveryPending) != 0) asm volatile("pause");
}

}  // namespace kernel::x86::lapic
