// Object sizes per type and object identity of capabilities.
#include "object/capability.h"

namespace kernel::object {

bool is_retypable(ObjectType type) {
  switch (type) {
    case ObjectType::Untyped:
    case ObjectType::CNode:
    case ObjectType::Tcb:
    case ObjectType::Endpoint:
    case ObjectType::Notification:
    case ObjectType::Reply:
    case ObjectType::VSpace:
    case ObjectType::Pdpt:
    case ObjectType::PageDirectory:
    case ObjectType::PageTable:
    case ObjectType::Frame4K:
    case ObjectType::Frame2M: return true;
    default: return false;
  }
}

unsigned object_size_bits(ObjectType type, unsigned user_bits) {
  switch (type) {
    case ObjectType::Untyped:
      return user_bits >= kMinUntypedBits && user_bits <= kMaxUntypedBits ? user_bits : 0;
    case ObjectType::CNode:
      return user_bits >= kMinCNodeRadix && user_bits <= kMaxCNodeRadix ? user_bits + kSlotBits : 0;
    case ObjectType::Tcb: return kTcbBits;
    case ObjectType::Endpoint: return kEndpointBits;
    case ObjectType::Notification: return kNotificationBits;
    case ObjectType::Reply: return kReplyBits;
    case ObjectType::VSpace:
    case ObjectType::Pdpt:
    case ObjectType::PageDirectory:
    case ObjectType::PageTable: return kPageTableBits;
    case ObjectType::Frame4K: return kFrame4KBits;
    case ObjectType::Frame2M: return kFrame2MBits;
    default: return 0;
  }
}

bool same_object(const Capability& a, const Capability& b) {
  if (a.type != b.type || a.type == ObjectType::Null) return false;
  switch (a.type) {
    case ObjectType::Untyped: return a.object == b.object && a.size_bits == b.size_bits;
    case ObjectType::IrqControl: return true;  // there is one interrupt controller
    case ObjectType::IrqHandler: return a.word0 == b.word0;
    case ObjectType::IoPort: return a.word0 == b.word0 && a.word1 == b.word1;
    default: return a.object == b.object;
  }
}

}  // namespace kernel::object
