// Hardware interrupt routing: controllers, vectors and handlers.
// Implemented in arch/x86_64/ (LAPIC, IOAPIC, legacy PIC masked).
#pragma once

#include <stdint.h>

namespace kernel::irq {

// Finds the interrupt controllers (ACPI MADT), masks the 8259 PIC, enables the local APIC and
// programs the IOAPICs with every line masked. `rsdp` is the BootInfo's physical RSDP.
void init(uint64_t rsdp);

using Handler = void (*)(uint8_t vector, void* context);

// Routes ISA IRQ `isa_irq` (after MADT source overrides) or GSI to a newly allocated vector
// with `handler`; returns the vector, or 0 when none is free. The line stays masked until unmask.
[[nodiscard]] uint8_t route_isa_irq(uint8_t isa_irq, Handler handler, void* context);
void mask_vector(uint8_t vector);
void unmask_vector(uint8_t vector);

// Installs a handler for a local vector (timer, IPIs) with no IOAPIC line behind it.
[[nodiscard]] bool set_local_handler(uint8_t vector, Handler handler, void* context);

// Called by the interrupt entry path for vectors 32-255; sends the EOI.
void dispatch(uint8_t vector);

void enable();   // sti
void disable();  // cli

}  // namespace kernel::irq
