// Placeholder until the VSpace implementation lands.
#include "object/vspace.h"

namespace kernel::object {

bool vspace_asids_available(uint64_t) { return true; }
void vspace_created(Capability*) {}
void vspace_destroyed(const Capability&) {}
void mapping_cap_deleted(const Capability&) {}
mu::Status map_page_table(Slot*, Slot*, uint64_t) { return mu::Status::IllegalOperation; }
mu::Status unmap_page_table(Slot*) { return mu::Status::IllegalOperation; }
mu::Status map_frame(Slot*, Slot*, uint64_t, uint64_t) { return mu::Status::IllegalOperation; }
mu::Status unmap_frame(Slot*) { return mu::Status::IllegalOperation; }
mu::Status remap_frame(Slot*, uint64_t) { return mu::Status::IllegalOperation; }

}  // namespace kernel::object
