// Capabilities, the slots that hold them, object sizes and the seams to memory and destruction.
#pragma once

#include <mu/cap_abi.h>
#include <stddef.h>
#include <stdint.h>

#include "object/rights.h"

namespace kernel::object {

using mu::CapStatus;
using mu::ObjectType;

// A capability: what it names (type + physical address of the object), what it allows (rights)
// and the per-type words. Plain data so a slot can be copied with one assignment and zeroed.
//   Endpoint, Notification: word0 = badge (0 = unbadged)
//   Untyped:  size_bits = log2 size; word0 = watermark (bytes used from the base)
//   CNode:    size_bits = radix (log2 slot count)
//   IrqHandler: word0 = interrupt line or vector
//   IoPort:   word0 = first port, word1 = last port (inclusive)
struct Capability {
  ObjectType type = ObjectType::Null;
  Rights rights;
  uint8_t size_bits = 0;
  // Set on the capability retype (or boot) created; copies and mints clear it. Lets the derivation
  // tree tell a full-size child untyped from its parent, which names the same memory.
  uint8_t original = 0;
  uint32_t reserved = 0;
  uint64_t object = 0;  // physical address; 0 for IrqControl and IoPort
  uint64_t word0 = 0;
  uint64_t word1 = 0;

  [[nodiscard]] bool is_null() const { return type == ObjectType::Null; }
  [[nodiscard]] uint64_t badge() const { return word0; }
  [[nodiscard]] uint64_t watermark() const { return word0; }
};
static_assert(sizeof(Capability) == 32);

// A capability slot. The derivation-tree links live here (intrusive), so deriving a capability
// never needs memory beyond the destination slot. Pointers are kernel-virtual slot addresses.
struct Slot {
  Capability cap;
  Slot* parent = nullptr;
  Slot* first_child = nullptr;
  Slot* prev_sibling = nullptr;
  Slot* next_sibling = nullptr;

  [[nodiscard]] bool empty() const { return cap.is_null(); }
};
inline constexpr unsigned kSlotBits = 6;
static_assert(sizeof(Slot) == (1u << kSlotBits));

// ---- Object sizes (log2 bytes). Every object is naturally aligned to its size. ----
inline constexpr unsigned kTcbBits = 14;          // 16 KiB: slots, thread, FPU area, kernel stack
inline constexpr unsigned kEndpointBits = 5;      // 32 B: queue head/tail and state
inline constexpr unsigned kNotificationBits = 6;  // 64 B: word, queue, bound TCB
inline constexpr unsigned kReplyBits = 5;         // 32 B: caller link and state
inline constexpr unsigned kPageTableBits = 12;    // all four paging levels are one 4 KiB page
inline constexpr unsigned kFrame4KBits = 12;
inline constexpr unsigned kFrame2MBits = 21;
inline constexpr unsigned kMinCNodeRadix = 1;    // 2 slots
inline constexpr unsigned kMaxCNodeRadix = 20;   // 1 Mi slots = 64 MiB
inline constexpr unsigned kMinUntypedBits = 5;   // smallest object (Endpoint, Reply)
inline constexpr unsigned kMaxUntypedBits = 47;  // larger than any RAM we map
inline constexpr uint64_t kMaxRetypeCount = mu::kMaxRetypeCount;  // bounds the work of one call
// A TCB holds capabilities of its own (CSpace root, VSpace, IPC buffer, fault endpoint, bound
// notification, I/O ports) in a small slot table at offset 0 of the object, so deleting the last
// cap of an object a TCB uses never leaves the TCB pointing at freed memory. Deleting a TCB
// empties that table first, like a CNode's (kernel/object/tcb.h has the slot indices).
inline constexpr unsigned kTcbSlotRadix = 3;  // 8 slots = 512 bytes

// log2 size of an object of `type`. `user_bits` is the untyped size or the CNode radix and is
// ignored for fixed-size types. Returns 0 when the type cannot be retyped or the size is invalid.
[[nodiscard]] unsigned object_size_bits(ObjectType type, unsigned user_bits);
// True when `type` is a retypable type at all (so InvalidType and InvalidSize can be told apart).
[[nodiscard]] bool is_retypable(ObjectType type);

// The seam to physical memory: the kernel maps through the direct map, host tests through a
// buffer standing in for RAM.
class ObjectMemory {
 public:
  // Where the physical range starting at `phys` is reachable by this code.
  virtual void* to_virtual(uint64_t phys) = 0;
  // Zeroes [phys, phys + size); retype calls it before an object becomes reachable.
  virtual void zero(uint64_t phys, uint64_t size) = 0;

 protected:
  ~ObjectMemory() = default;
};

// Called exactly once when the last capability to an object goes, before its memory counts as
// free. The kernel uses it to unbind and dequeue (TCB, endpoint, IRQ handler...). For a CNode it
// runs after every slot inside has been emptied. Must not call back into capability operations,
// and must not write the object's memory: a CNode destroyed during a cascade may still hold a link
// of the cascade's pending list (see cap_ops.cc); memory is zeroed when it is next retyped.
class DestroyHook {
 public:
  virtual void destroy(const Capability& last_cap) = 0;
  // Called for every capability as it is deleted (before destroy when it was the last), e.g. to
  // undo the mapping a Frame or page-table capability records. Same restrictions as destroy.
  virtual void deleted(const Capability& cap) { (void)cap; }

 protected:
  ~DestroyHook() = default;
};

// What the capability operations need from the outside world.
struct ObjectContext {
  ObjectMemory* memory;
  DestroyHook* hook;  // may be null: nothing to tear down
};

// True when both capabilities name the same object (same type and memory; for untyped also the
// same size). Does not look at originality; see cdt.h for how copies are told apart.
[[nodiscard]] bool same_object(const Capability& a, const Capability& b);

}  // namespace kernel::object
