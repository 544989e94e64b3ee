// Placeholder until the IRQ-capability implementation lands.
#include "object/irq_caps.h"

namespace kernel::object {

void irq_handler_destroyed(const Capability&) {}

}  // namespace kernel::object
