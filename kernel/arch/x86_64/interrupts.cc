// kernel::irq on x86_64: LAPIC + IOAPICs from the MADT, the 8259 masked, vector allocation and
// dispatch of vectors 32-255.
#include "arch/interrupts.h"

#include "acpi/platform.h"
#include "arch/arch.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/irq_routing.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/pic.h"
#include "lib/print.h"

namespace kernel::irq {
namespace {

using x86::IoApic;

constexpr uint8_t kFirstDeviceVector = 0x30;
constexpr uint8_t kLastDeviceVector = 0xEF;
constexpr uint8_t kNoIoApic = 0xFF;

struct VectorSlot {
  Handler handler = nullptr;
  void* context = nullptr;
  uint8_t ioapic = kNoIoApic;  // index into g_ioapics for routed lines
  uint32_t pin = 0;
  bool level = false;   // level-triggered IOAPIC line: masked while its handler runs
  bool masked = false;  // masked through mask_vector: dispatch must not unmask it
};

VectorSlot g_vectors[256];
IoApic g_ioapics[kernel::acpi::kMaxIoApics];
uint32_t g_pin_counts[kernel::acpi::kMaxIoApics];
size_t g_ioapic_count = 0;
x86::VectorAllocator g_device_vectors(kFirstDeviceVector, kLastDeviceVector);
uint64_t g_unexpected = 0;
uint64_t g_spurious = 0;
uint64_t g_reported[4] = {};  // vectors already reported as unexpected

void report_unexpected_once(uint8_t vector) {
  ++g_unexpected;
  uint64_t& word = g_reported[vector / 64];
  const uint64_t bit = 1ULL << (vector % 64);
  if ((word & bit) != 0) return;
  word |= bit;
  kprintf("irq: unexpected interrupt on vector 0x%x (no handler; counted, reported once)\n",
          vector);
}

void lapic_error(uint8_t, void*) {
  // Writing the ESR latches the errors for the read (SDM vol 3A §11.5.3).
  x86::lapic::write(x86::lapic::kErrorStatus, 0);
  kprintf("irq: local APIC error, ESR=0x%x\n", x86::lapic::read(x86::lapic::kErrorStatus));
}

uint8_t install_route(const x86::PinRoute& route, Handler handler, void* context) {
  if (!route.valid) return 0;
  const uint8_t vector = g_device_vectors.allocate();
  if (vector == 0) return 0;
  VectorSlot& slot = g_vectors[vector];
  slot.handler = handler;
  slot.context = context;
  slot.ioapic = static_cast<uint8_t>(route.ioapic_index);
  slot.pin = route.pin;
  slot.level = route.level;
  slot.masked = false;
  // xAPIC physical destination is 8 bits; an x2APIC id above 255 needs interrupt remapping.
  const uint8_t destination = static_cast<uint8_t>(x86::lapic::id());
  g_ioapics[route.ioapic_index].set_entry(
      route.pin, x86::redirection_entry(vector, destination, route.active_low, route.level, true));
  return vector;
}

}  // namespace

void init(uint64_t rsdp, uint64_t hhdm_mapped_end) {
  (void)acpi::discover_platform(rsdp, hhdm_mapped_end);
  const acpi::Platform& platform = acpi::platform();
  if (!platform.have_madt) kprintf("irq: no usable MADT: local APIC only, no IOAPIC lines\n");

  // Mask the 8259s whatever the MADT's PCAT_COMPAT flag says: on a machine without them the
  // writes go nowhere.
  x86::pic::remap_and_mask(arch::io_ports());
  x86::lapic::init();
  (void)set_local_handler(x86::lapic::kErrorVector, lapic_error, nullptr);

  if (platform.have_madt) {
    for (size_t i = 0; i < platform.madt.ioapic_count; ++i) {
      const kernel::acpi::MadtIoApic& madt_ioapic = platform.madt.ioapics[i];
      g_ioapics[i].attach(madt_ioapic.address, madt_ioapic.gsi_base);
      g_ioapics[i].mask_all();
      g_pin_counts[i] = g_ioapics[i].pin_count();
    }
    g_ioapic_count = platform.madt.ioapic_count;
  }
  char gsi_bases[64];
  size_t used = 0;
  gsi_bases[0] = '\0';
  for (size_t i = 0; i < g_ioapic_count && used + 16 < sizeof(gsi_bases); ++i) {
    used += format_buffer(gsi_bases + used, sizeof(gsi_bases) - used, "%s%u+%u", i ? "," : "",
                          g_ioapics[i].gsi_base(), g_pin_counts[i]);
  }
  kprintf("irq: lapic id=%u ioapics=%zu gsi_base=%s overrides=%zu pic=masked mode=%s\n",
          x86::lapic::id(), g_ioapic_count, g_ioapic_count ? gsi_bases : "-",
          platform.have_madt ? platform.madt.override_count : 0,
          x86::lapic::x2apic_mode() ? "x2apic" : "xapic");
}

uint8_t route_gsi(uint32_t gsi, bool active_low, bool level, Handler handler, void* context) {
  InterruptGuard guard;
  const acpi::Platform& platform = acpi::platform();
  if (!platform.have_madt) return 0;
  return install_route(x86::route_gsi(platform.madt, g_pin_counts, gsi, active_low, level), handler,
                       context);
}

uint8_t route_isa_irq(uint8_t isa_irq, Handler handler, void* context) {
  InterruptGuard guard;
  const acpi::Platform& platform = acpi::platform();
  if (!platform.have_madt || isa_irq > 15) return 0;
  return install_route(x86::route_isa(platform.madt, g_pin_counts, isa_irq), handler, context);
}

void mask_vector(uint8_t vector) {
  InterruptGuard guard;
  VectorSlot& slot = g_vectors[vector];
  slot.masked = true;
  if (slot.ioapic != kNoIoApic) g_ioapics[slot.ioapic].set_masked(slot.pin, true);
}

void unmask_vector(uint8_t vector) {
  InterruptGuard guard;
  VectorSlot& slot = g_vectors[vector];
  slot.masked = false;
  if (slot.ioapic != kNoIoApic) g_ioapics[slot.ioapic].set_masked(slot.pin, false);
}

bool set_local_handler(uint8_t vector, Handler handler, void* context) {
  InterruptGuard guard;
  const bool local = (vector >= kFirstLocalVector && vector <= kLastLocalVector) ||
                     vector == x86::lapic::kErrorVector;
  if (!local || g_vectors[vector].handler != nullptr) return false;
  g_vectors[vector].handler = handler;
  g_vectors[vector].context = context;
  return true;
}

void dispatch(uint8_t vector) {
  // The LAPIC spurious vector and the masked 8259's spurious IRQ 7/15 take no EOI
  // (SDM vol 3A §11.9; 8259A datasheet): nothing is in service.
  if (vector == x86::lapic::kSpuriousVector ||
      (vector >= x86::pic::kMasterVector && vector < x86::pic::kSlaveVector + 8)) {
    ++g_spurious;
    return;
  }
  // The EOI goes out before the handler runs, because a handler may switch threads (the
  // scheduler does in the timer handler) and only return when the preempted thread next runs;
  // an EOI after it would leave the vector in service and block every lower-priority interrupt
  // meanwhile. Handlers still run with interrupts off, so nothing nests. Edge-triggered and
  // local vectors can take the early EOI: a new edge is a new interrupt. A level-triggered
  // IOAPIC line would be redelivered at once by the EOI (it clears Remote IRR while the device
  // still asserts the line), so it is masked first and unmasked only after its handler returns
  // (unless the handler masked it through mask_vector); such handlers must not switch threads.
  const VectorSlot& slot = g_vectors[vector];
  const bool level = slot.ioapic != kNoIoApic && slot.level;
  if (level) g_ioapics[slot.ioapic].set_masked(slot.pin, true);
  x86::lapic::eoi();
  if (slot.handler != nullptr) {
    slot.handler(vector, slot.context);
  } else {
    report_unexpected_once(vector);
  }
  if (level && !slot.masked) g_ioapics[slot.ioapic].set_masked(slot.pin, false);
}

void send_self_ipi(uint8_t vector) { x86::lapic::send_self_ipi(vector); }

uint64_t unexpected_count() { return g_unexpected; }

void enable() { asm volatile("sti" ::: "memory"); }
void disable() { asm volatile("cli" ::: "memory"); }

bool save_and_disable() {
  uint64_t flags;
  asm volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
  return (flags & (1u << 9)) != 0;  // RFLAGS.IF
}

void restore(bool were_enabled) {
  if (were_enabled) enable();
}

}  // namespace kernel::irq

extern "C" void irq_entry(kernel::x86::InterruptFrame* frame) {
  kernel::irq::dispatch(static_cast<uint8_t>(frame->vector));
}
