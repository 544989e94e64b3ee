// Placeholder until the VSpace implementation lands.
#include "object/vspace.h"

namespace kernel::object {

void vspace_created(uint64_t) {}
void vspace_destroyed(const Capability&) {}
void mapping_cap_deleted(const Capability&) {}

}  // namespace kernel::object
