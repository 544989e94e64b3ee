// Hardware interrupt routing: controllers, vectors and handlers.
// Implemented in arch/x86_64/ (LAPIC, IOAPIC, legacy PIC masked).
//
// x86_64 vector map: 0-31 exceptions; 0x20-0x2F where the masked 8259 could still deliver a
// spurious IRQ 7/15 (ignored); 0x30-0xEF allocated to routed lines; 0xF0-0xFD local (timer 0xF0,
// IPIs later); 0xFE LAPIC error; 0xFF LAPIC spurious (no EOI).
#pragma once

#include <stdint.h>

namespace kernel::irq {

inline constexpr uint8_t kTimerVector = 0xF0;
inline constexpr uint8_t kFirstLocalVector = 0xF0;
inline constexpr uint8_t kLastLocalVector = 0xFD;

// Finds the interrupt controllers (ACPI MADT), masks the 8259 PIC, enables the local APIC and
// programs the IOAPICs with every line masked. `rsdp` is the BootInfo's physical RSDP; ACPI
// tables must lie below `hhdm_mapped_end` (what the loader's direct map covers). Prints
// `irq: lapic id=N ioapics=N gsi_base=.. overrides=N pic=masked`. Interrupts stay disabled.
void init(uint64_t rsdp, uint64_t hhdm_mapped_end = 4ULL << 30);

using Handler = void (*)(uint8_t vector, void* context);

// Routes ISA IRQ `isa_irq` (after MADT source overrides: GSI, polarity, trigger) to a newly
// allocated vector with `handler`, delivered to this CPU; returns the vector, or 0 when none is
// free or no IOAPIC serves the line. The line stays masked until unmask_vector.
[[nodiscard]] uint8_t route_isa_irq(uint8_t isa_irq, Handler handler, void* context);
// The same for a GSI with explicit wiring (PCI INTx from _PRT: active low, level).
[[nodiscard]] uint8_t route_gsi(uint32_t gsi, bool active_low, bool level, Handler handler,
                                void* context);
// Mask or unmask the IOAPIC line behind a routed vector; no effect on other vectors.
void mask_vector(uint8_t vector);
void unmask_vector(uint8_t vector);

// Installs a handler for a local vector in [kFirstLocalVector, kLastLocalVector] (timer, IPIs)
// with no IOAPIC line behind it. False when out of range or taken.
[[nodiscard]] bool set_local_handler(uint8_t vector, Handler handler, void* context);

// Called by the interrupt entry path for vectors 32-255 with interrupts off: sends the EOI (not
// for spurious vectors), then runs the handler, so a handler may switch threads. A level-triggered
// IOAPIC line is masked before the EOI and unmasked after its handler returns; its handler must
// not switch threads. A vector without handler is counted and
// reported once, never a panic.
void dispatch(uint8_t vector);

// Sends `vector` to this CPU as a fixed self-IPI through the local APIC (a reschedule kick
// later; the unexpected-vector check in ktest=time now). Delivered once interrupts are enabled.
void send_self_ipi(uint8_t vector);

// Interrupts that arrived without a handler (for tests and diagnostics).
[[nodiscard]] uint64_t unexpected_count();

void enable();   // sti
void disable();  // cli
// Disables interrupts and returns whether they were on, for restore().
[[nodiscard]] bool save_and_disable();
void restore(bool were_enabled);

// Interrupts off for a scope, restored on exit (state shared with interrupt handlers).
class InterruptGuard {
 public:
  InterruptGuard() : were_enabled_(save_and_disable()) {}
  ~InterruptGuard() { restore(were_enabled_); }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  bool were_enabled_;
};

}  // namespace kernel::irq
