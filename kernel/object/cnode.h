// A CNode: a power-of-two table of slots addressed by index.
#pragma once

#include <stdint.h>

#include "object/capability.h"

namespace kernel::object {

// A view of a CNode object. Cheap to copy; holds no state of its own beyond where the slots are.
class CNode {
 public:
  constexpr CNode() = default;
  constexpr CNode(Slot* slots, unsigned radix) : slots_(slots), radix_(radix) {}

  // The CNode a capability names, or an invalid CNode (valid() false) if `cap` is not a CNode cap.
  [[nodiscard]] static CNode from_cap(const Capability& cap, ObjectMemory& memory);

  [[nodiscard]] bool valid() const { return slots_ != nullptr; }
  [[nodiscard]] uint64_t slot_count() const { return valid() ? (uint64_t{1} << radix_) : 0; }
  [[nodiscard]] unsigned radix() const { return radix_; }
  // The slot at `index`, or nullptr when the CNode is invalid or the index out of range. Every
  // operation resolves caller indices through here, so range checks live in one place.
  [[nodiscard]] Slot* slot(uint64_t index) const {
    return index < slot_count() ? &slots_[index] : nullptr;
  }
  // True when no slot holds a capability.
  [[nodiscard]] bool is_empty() const;

 private:
  Slot* slots_ = nullptr;
  unsigned radix_ = 0;
};

}  // namespace kernel::object
