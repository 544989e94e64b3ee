// User-visible capability ABI: object type numbers, rights bits and capability status codes.
#pragma once

#include <stdint.h>

#include "mu/syscall.h"

namespace mu {

// Object type numbers as user space passes them to retype and reads them back from identify.
// Values are ABI: append only, never renumber.
enum class ObjectType : uint8_t {
  Null = 0,           // an empty slot
  Untyped = 1,        // raw memory that retype carves into objects
  CNode = 2,          // a table of capability slots
  Tcb = 3,            // a thread
  Endpoint = 4,       // synchronous IPC rendezvous
  Notification = 5,   // asynchronous signal word
  Reply = 6,          // one-shot reply right of a call
  VSpace = 7,         // PML4, the root of an address space
  Pdpt = 8,           // page-directory-pointer table (level 3)
  PageDirectory = 9,  // page directory (level 2)
  PageTable = 10,     // page table (level 1)
  Frame4K = 11,       // 4 KiB of mappable memory
  Frame2M = 12,       // 2 MiB of mappable memory
  IrqControl = 13,    // authority to issue IRQ handlers (boot only, not retypable)
  IrqHandler = 14,    // one interrupt line (issued by IrqControl, not retypable)
  IoPort = 15,        // a range of x86 I/O ports (boot only, not retypable)
};
inline constexpr unsigned kObjectTypeCount = 16;

// Rights bits of a capability. What each right allows per object type is in docs/capabilities.md.
inline constexpr uint8_t kRightRead = 1u << 0;
inline constexpr uint8_t kRightWrite = 1u << 1;
inline constexpr uint8_t kRightGrant = 1u << 2;
inline constexpr uint8_t kRightGrantReply = 1u << 3;
inline constexpr uint8_t kRightsAll = kRightRead | kRightWrite | kRightGrant | kRightGrantReply;

// Results of capability operations; syscalls return these values unchanged.
// Values are ABI: append only, never renumber.
enum class CapStatus : uint32_t {
  Ok = 0,
  InvalidSlot = 1,          // slot index outside the CNode, or the CNode reference is not a CNode
  SlotEmpty = 2,            // the source slot holds no capability
  SlotOccupied = 3,         // a destination slot already holds a capability
  WrongType = 4,            // the capability is of the wrong type for this operation
  InvalidType = 5,          // the requested object type does not exist or cannot be retyped
  InvalidSize = 6,          // size bits out of range for the requested type
  InvalidCount = 7,         // object count 0 or above the retype fan-out limit
  NotEnoughMemory = 8,      // the untyped has not enough free memory left
  AlreadyBadged = 9,        // minting a badge onto a capability that already carries one
  IllegalOperation = 10,    // the operation is not allowed on this capability type
  InvalidArgument = 11,     // e.g. rights bits outside kRightsAll, same source and destination
  InsufficientRights = 12,  // the capability lacks a right the operation needs
};

// The syscall status a capability-operation result becomes (docs/syscalls.md).
[[nodiscard]] constexpr Status status_from(CapStatus s) {
  switch (s) {
    case CapStatus::Ok: return Status::Ok;
    case CapStatus::InvalidSlot: return Status::InvalidSlot;
    case CapStatus::SlotEmpty: return Status::SlotEmpty;
    case CapStatus::SlotOccupied: return Status::SlotOccupied;
    case CapStatus::WrongType: return Status::WrongType;
    case CapStatus::InvalidType: return Status::InvalidType;
    case CapStatus::InvalidSize: return Status::InvalidSize;
    case CapStatus::InvalidCount: return Status::InvalidCount;
    case CapStatus::NotEnoughMemory: return Status::NotEnoughMemory;
    case CapStatus::AlreadyBadged: return Status::AlreadyBadged;
    case CapStatus::IllegalOperation: return Status::IllegalOperation;
    case CapStatus::InvalidArgument: return Status::InvalidArgument;
    case CapStatus::InsufficientRights: return Status::InsufficientRights;
  }
  return Status::InvalidArgument;
}

// Retype limits user space needs to know (kernel/object/capability.h holds the rest).
inline constexpr uint64_t kMaxRetypeCount = 256;
// A `cnode` argument naming the caller's own CSpace root CNode.
inline constexpr uint64_t kSelfCNode = ~uint64_t{0};

}  // namespace mu
