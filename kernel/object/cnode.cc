// CNode views over slot tables.
#include "object/cnode.h"

namespace kernel::object {

CNode CNode::from_cap(const Capability& cap, ObjectMemory& memory) {
  if (cap.type != ObjectType::CNode) return CNode();
  return CNode(static_cast<Slot*>(memory.to_virtual(cap.object)), cap.size_bits);
}

bool CNode::is_empty() const {
  for (uint64_t i = 0; i < slot_count(); ++i) {
    if (!slots_[i].empty()) return false;
  }
  return true;
}

}  // namespace kernel::object
