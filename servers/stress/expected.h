// What each system call may return, as docs/syscalls.md documents it: a set of error statuses
// and whether non-negative values other than 0 are results (lengths, times, addresses, packed
// identify words). The stress program checks every return value against this table.
#pragma once

#include <stdint.h>

#include "mu/syscall.h"

namespace stress {

using mu::Status;

struct Expected {
  uint32_t errors;  // bit n set: -n (a negative mu::Status) is a documented result
  bool values;      // any value >= 0 is a documented result (otherwise only 0)
};

constexpr uint32_t bit(Status s) {
  return uint32_t{1} << static_cast<unsigned>(-static_cast<int64_t>(s));
}

// Errors every call taking a capability can report for it.
inline constexpr uint32_t kLookup =
    bit(Status::InvalidSlot) | bit(Status::SlotEmpty) | bit(Status::WrongType);
// Two-slot capability operations (source and destination CNode/index pairs).
inline constexpr uint32_t kSlotPair =
    bit(Status::InvalidSlot) | bit(Status::SlotEmpty) | bit(Status::SlotOccupied);
// Every IPC call on an endpoint: the rights it needs, tag and timeout checks, and the outcomes of
// waiting (a timeout, no partner for the non-blocking forms, the object or partner going away).
inline constexpr uint32_t kIpcSend = kLookup | bit(Status::InsufficientRights) |
                                     bit(Status::InvalidArgument) | bit(Status::Timeout) |
                                     bit(Status::Cancelled) | bit(Status::WouldBlock);

// Indexed by syscall number; numbers without a call (the retired 7 and 8, the gaps, and those
// past mu::Sys::Count) expect UnknownSyscall only.
constexpr Expected expected_for(uint64_t number) {
  switch (static_cast<mu::Sys>(number)) {
    case mu::Sys::Null: return {0, false};
    case mu::Sys::DebugWrite: return {bit(Status::InvalidArgument) | bit(Status::BadAddress), true};
    case mu::Sys::Yield: return {0, false};
    case mu::Sys::SleepNs: return {bit(Status::InvalidArgument), false};
    case mu::Sys::ClockNs: return {0, true};
    case mu::Sys::GetPid: return {0, true};
    case mu::Sys::CapCopy:
      return {kSlotPair | bit(Status::InvalidArgument) | bit(Status::IllegalOperation), false};
    case mu::Sys::CapMint:
      return {kSlotPair | bit(Status::InvalidArgument) | bit(Status::IllegalOperation) |
                  bit(Status::WrongType) | bit(Status::AlreadyBadged),
              false};
    case mu::Sys::CapMove: return {kSlotPair, false};
    case mu::Sys::CapDelete:
    case mu::Sys::CapRevoke: return {bit(Status::InvalidSlot) | bit(Status::SlotEmpty), false};
    case mu::Sys::CapIdentify:
    case mu::Sys::CapIdentifyIn: return {bit(Status::InvalidSlot) | bit(Status::SlotEmpty), true};
    case mu::Sys::TcbGetInfo: return {kLookup | bit(Status::InsufficientRights), true};
    case mu::Sys::UntypedRetype:
      return {kLookup | bit(Status::SlotOccupied) | bit(Status::InvalidType) |
                  bit(Status::InvalidSize) | bit(Status::InvalidCount) |
                  bit(Status::NotEnoughMemory),
              false};
    // Threads (wip-tcb: sys_tcb.cc; bind/unbind in sys_ipc.cc). Write right on the TCB cap,
    // Read for TcbReadRegisters.
    case mu::Sys::TcbConfigure:
      return {kLookup | bit(Status::InsufficientRights) | bit(Status::InvalidArgument), false};
    case mu::Sys::TcbSetPriority:
    case mu::Sys::TcbSetMcp:
      return {kLookup | bit(Status::InsufficientRights) | bit(Status::InvalidArgument) |
                  bit(Status::AboveMcp),
              false};
    case mu::Sys::TcbReadRegisters:
      return {kLookup | bit(Status::InsufficientRights) | bit(Status::BadAddress), false};
    case mu::Sys::TcbWriteRegisters:
      return {kLookup | bit(Status::InsufficientRights) | bit(Status::BadAddress) |
                  bit(Status::InvalidArgument) | bit(Status::IllegalOperation),
              false};
    case mu::Sys::TcbResume:
      return {kLookup | bit(Status::InsufficientRights) | bit(Status::IllegalOperation), false};
    case mu::Sys::TcbSuspend: return {kLookup | bit(Status::InsufficientRights), false};
    case mu::Sys::TcbBindNotification:
      return {kLookup | bit(Status::InsufficientRights) | bit(Status::Busy), false};
    case mu::Sys::TcbUnbindNotification: return {kLookup | bit(Status::IllegalOperation), false};
    case mu::Sys::TcbSetIoPorts: return {kLookup | bit(Status::InvalidArgument), false};
    // IPC (wip-ipc: sys_ipc.cc, kernel/ipc).
    case mu::Sys::Send:
    case mu::Sys::NBSend:
    case mu::Sys::Call: return {kIpcSend, false};
    case mu::Sys::Recv:
    case mu::Sys::NBRecv:
    case mu::Sys::ReplyRecv: return {kIpcSend | bit(Status::Busy), false};
    case mu::Sys::Reply:
      return {kLookup | bit(Status::NoCaller) | bit(Status::InvalidArgument), false};
    case mu::Sys::Signal: return {kLookup | bit(Status::InsufficientRights), false};
    case mu::Sys::NtfnWait:
      return {kLookup | bit(Status::InsufficientRights) | bit(Status::InvalidArgument) |
                  bit(Status::Timeout) | bit(Status::Cancelled) | bit(Status::IllegalOperation),
              false};
    case mu::Sys::NtfnPoll:
      return {kLookup | bit(Status::InsufficientRights) | bit(Status::IllegalOperation), false};
    // Address spaces (wip-vspace: sys_vspace.cc, object/vspace_core.cc).
    case mu::Sys::PageTableMap:
      return {kLookup | bit(Status::IllegalOperation) | bit(Status::InvalidArgument) |
                  bit(Status::Busy) | bit(Status::MissingPageTable),
              false};
    case mu::Sys::FrameMap:
      return {kLookup | bit(Status::IllegalOperation) | bit(Status::InvalidArgument) |
                  bit(Status::InsufficientRights) | bit(Status::Busy) |
                  bit(Status::MissingPageTable),
              false};
    case mu::Sys::PageTableUnmap:
    case mu::Sys::FrameUnmap: return {kLookup | bit(Status::NotMapped), false};
    case mu::Sys::FrameRemap:
      return {kLookup | bit(Status::InvalidArgument) | bit(Status::InsufficientRights) |
                  bit(Status::NotMapped),
              false};
    case mu::Sys::FrameAddress: return {kLookup | bit(Status::InsufficientRights), true};
    // Interrupts and I/O ports (wip-irq: sys_irq.cc).
    case mu::Sys::IrqControlGet:
      return {kLookup | bit(Status::SlotOccupied) | bit(Status::InvalidArgument) |
                  bit(Status::Busy) | bit(Status::InsufficientRights) | bit(Status::NoMemory),
              false};
    case mu::Sys::IrqHandlerSetNotification:
    case mu::Sys::IrqHandlerAck: return {kLookup | bit(Status::InsufficientRights), false};
    case mu::Sys::IoPortIssue:
      return {kLookup | bit(Status::SlotOccupied) | bit(Status::InvalidArgument) |
                  bit(Status::InsufficientRights),
              false};
    default: return {bit(Status::UnknownSyscall), false};
  }
}

// Is `result` a documented outcome of syscall `number`?
constexpr bool result_expected(uint64_t number, int64_t result) {
  const Expected e = expected_for(number);
  if (result == 0) return e.errors != bit(Status::UnknownSyscall);  // no call behind it: never 0
  if (result > 0) return e.values;
  if (result < -31) return false;
  return (e.errors & (uint32_t{1} << static_cast<unsigned>(-result))) != 0;
}

}  // namespace stress
