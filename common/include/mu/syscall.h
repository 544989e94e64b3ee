// The system-call ABI shared by the kernel and user space: numbers, status codes, entry registers.
// Reference: docs/syscalls.md. Calling convention (x86-64 SYSCALL, Intel SDM vol 2B): number in
// rax, arguments in rdi, rsi, rdx, r10, r8, r9; result in rax; rcx and r11 are clobbered, every
// other register is preserved.
#pragma once

#include <stdint.h>

namespace mu {

enum class Sys : uint64_t {
  Null = 0,         // () -> 0; the cheapest round trip (benchmarks)
  DebugWrite = 1,   // (const char* buf, u64 len) -> len | status
  Yield = 2,        // () -> 0
  SleepNs = 3,      // (u64 ns) -> 0
  ClockNs = 4,      // () -> monotonic ns since boot
  ThreadExit = 5,   // (i64 code) -> does not return
  ProcessExit = 6,  // (i64 code) -> does not return
  // 7 and 8 were Spawn and Wait (issue 3's kernel-side program loader), retired with issue 5:
  // init builds every program itself. Reserved, never reused: they fail like any unknown number.
  GetPid = 9,       // () -> pid

  // ---- Capabilities (docs/syscalls.md "Capability calls"; register use in mu/ipc.h) ----
  // A CPtr is a slot index in the caller's CSpace root CNode. A `cnode` argument is the CPtr of
  // a CNode capability, or kSelfCNode for the caller's root CNode itself.
  CapCopy = 10,        // (src_cnode, src_index, dst_cnode, dst_index, rights_mask) -> 0
  CapMint = 11,        // (src_cnode, src_index, dst_cnode, dst_index, rights_mask, badge) -> 0
  CapMove = 12,        // (src_cnode, src_index, dst_cnode, dst_index) -> 0
  CapDelete = 13,      // (cnode, index) -> 0
  CapRevoke = 14,      // (cnode, index) -> 0
  CapIdentify = 15,    // (cptr) -> type | rights << 8 | size_bits << 16; rdi = word0, rsi = word1
  UntypedRetype = 16,  // (untyped, type, user_bits, dst_cnode, dst_index, count) -> 0
  CapIdentifyIn = 17,  // (cnode, index) -> as CapIdentify, for a slot of any CNode the caller holds
  TcbGetInfo = 18,     // (tcb) -> ThreadRunState | priority << 8 | mcp << 16 (mu/ipc.h)

  TcbConfigure = 20,           // (tcb, cspace, vspace, ipc_buffer_frame, ipc_buffer_addr, fault_ep)
  TcbSetPriority = 21,         // (tcb, priority) -> 0; priority <= caller's MCP
  TcbSetMcp = 22,              // (tcb, mcp) -> 0; mcp <= caller's MCP
  TcbReadRegisters = 23,       // (tcb, mu::UserRegisters* out) -> 0
  TcbWriteRegisters = 24,      // (tcb, const mu::UserRegisters* in) -> 0
  TcbResume = 25,              // (tcb) -> 0
  TcbSuspend = 26,             // (tcb) -> 0
  TcbBindNotification = 27,    // (tcb, notification) -> 0
  TcbUnbindNotification = 28,  // (tcb) -> 0
  TcbSetIoPorts = 29,          // (tcb, ioport, index 0..2) -> 0; ioport 0 clears grant `index`

  // IPC (message registers and timeouts: mu/ipc.h)
  Send = 30,       // (ep, tag, mr0..mr3) -> 0
  NBSend = 31,     // (ep, tag, mr0..mr3) -> 0 | WouldBlock
  Recv = 32,       // (ep; r12 = reply) -> 0; rdi = badge, rsi = tag, rdx r10 r8 r9 = mr0..mr3
  NBRecv = 33,     // as Recv, WouldBlock when no sender waits
  Call = 34,       // (ep, tag, mr0..mr3) -> 0; reply in rsi (tag), rdx r10 r8 r9
  Reply = 35,      // (reply, tag, mr0..mr3) -> 0
  ReplyRecv = 36,  // (ep, tag, mr0..mr3; r12 = reply) -> as Recv
  Signal = 37,     // (notification) -> 0
  NtfnWait = 38,   // (notification) -> 0; rdi = the word (then cleared)
  NtfnPoll = 39,   // (notification) -> 0; rdi = the word (then cleared), 0 if none

  // Address spaces
  PageTableMap = 40,    // (table, vspace, vaddr) -> 0; Pdpt, PageDirectory or PageTable
  PageTableUnmap = 41,  // (table) -> 0
  FrameMap = 42,        // (frame, vspace, vaddr, map_flags) -> 0
  FrameUnmap = 43,      // (frame) -> 0
  FrameRemap = 44,      // (frame, map_flags) -> 0; same place, new permissions
  FrameAddress = 45,    // (frame) -> physical address

  // Interrupts and I/O ports
  IrqControlGet = 50,              // (irq_control, line, dst_cnode, dst_index) -> 0
  IrqHandlerSetNotification = 51,  // (handler, notification) -> 0; 0 unbinds
  IrqHandlerAck = 52,              // (handler) -> 0
  IoPortIssue = 53,                // (ioport, first, last, dst_cnode, dst_index) -> 0

  Count = 54,
};

// Negative results are errors; everything >= 0 is a successful value.
enum class Status : int64_t {
  Ok = 0,
  UnknownSyscall = -1,   // rax held no known syscall number
  InvalidArgument = -2,  // a value out of its documented range
  BadAddress = -3,       // a user pointer range is not readable/writable user memory
  // -4, -6 and -7 came from the retired Spawn/Wait; no kernel call returns them now. Their
  // numbers stay (never renumbered); init's protocols reuse NotFound and BadExecutable.
  NotFound = -4,         // no such file, name or process
  NoMemory = -5,         // frames, stacks or table slots ran out
  BadExecutable = -6,    // the file is not a valid user ELF
  NotChild = -7,         // unused (was: Wait on a process the caller did not spawn)
  // Capability and IPC errors (docs/syscalls.md lists which call returns which).
  InvalidSlot = -8,          // slot index outside its CNode, or the CNode argument is not one
  SlotEmpty = -9,            // the slot named holds no capability
  SlotOccupied = -10,        // a destination slot already holds a capability
  WrongType = -11,           // the capability is of the wrong type for the call
  InvalidType = -12,         // retype: no such object type, or one that cannot be retyped
  InvalidSize = -13,         // retype: size bits out of range for the type
  InvalidCount = -14,        // retype: count 0 or above kMaxRetypeCount
  NotEnoughMemory = -15,     // the untyped has not enough free memory left
  AlreadyBadged = -16,       // mint: the capability already carries a badge
  IllegalOperation = -17,    // not allowed on this capability (e.g. copying an untyped)
  InsufficientRights = -18,  // the capability lacks a right the call needs
  WouldBlock = -19,          // non-blocking IPC found no partner
  Timeout = -20,             // a blocking call's timeout passed
  Cancelled = -21,           // the object or partner went away while the caller was blocked
  Busy = -22,                // already bound/mapped/issued (notification, IRQ line, page table)
  NotMapped = -23,           // unmap/remap of something that is not mapped
  MissingPageTable = -24,    // FrameMap/PageTableMap: a paging level above is not mapped
  AboveMcp = -25,            // a priority or MCP above the caller's maximum controlled priority
  NoCaller = -26,            // reply on a reply object that holds no caller (one-shot used)
};

[[nodiscard]] constexpr int64_t status_value(Status s) { return static_cast<int64_t>(s); }

// A short description for messages ("not found", ...).
[[nodiscard]] constexpr const char* status_string(Status s) {
  switch (s) {
    case Status::Ok: return "ok";
    case Status::UnknownSyscall: return "unknown system call";
    case Status::InvalidArgument: return "invalid argument";
    case Status::BadAddress: return "bad address";
    case Status::NotFound: return "not found";
    case Status::NoMemory: return "out of memory";
    case Status::BadExecutable: return "not a valid user executable";
    case Status::NotChild: return "not a child of the caller";
    case Status::InvalidSlot: return "invalid slot";
    case Status::SlotEmpty: return "slot empty";
    case Status::SlotOccupied: return "slot occupied";
    case Status::WrongType: return "wrong capability type";
    case Status::InvalidType: return "invalid object type";
    case Status::InvalidSize: return "invalid size";
    case Status::InvalidCount: return "invalid count";
    case Status::NotEnoughMemory: return "not enough untyped memory";
    case Status::AlreadyBadged: return "already badged";
    case Status::IllegalOperation: return "illegal operation";
    case Status::InsufficientRights: return "insufficient rights";
    case Status::WouldBlock: return "would block";
    case Status::Timeout: return "timed out";
    case Status::Cancelled: return "cancelled";
    case Status::Busy: return "busy";
    case Status::NotMapped: return "not mapped";
    case Status::MissingPageTable: return "missing page table";
    case Status::AboveMcp: return "above maximum controlled priority";
    case Status::NoCaller: return "no caller to reply to";
  }
  return "unknown status";
}

// The exit status of a program stopped by a CPU exception: kExitFaultBase + vector (e.g. 14 =
// #PF). The kernel ends init so; init reports its programs' faults the same way.
inline constexpr int64_t kExitFaultBase = 0x1000;

// Limits checked by the kernel.
inline constexpr uint64_t kMaxDebugWrite = 4096;
inline constexpr uint64_t kMaxPathLength = 255;  // was Spawn's; no kernel call takes a path now
inline constexpr uint64_t kMaxSleepNs = 3600ULL * 1000 * 1000 * 1000;  // one hour

// How init starts (the kernel enters its _start with these registers; docs/syscalls.md; every
// other program is started by init, mu/program.h):
//   rdi = 0, rsp 16-byte aligned at the top of the user stack, and
//   rsi = user address of a read-only mapping of the whole initrd (cpio newc), rdx = its size,
//   rcx = user address of the kernel command line (NUL-terminated, on init's stack), r8 = its
//   length, r9 = kernel_tsc (the TSC at kernel entry, for the boot-to-init benchmark).
inline constexpr uint64_t kInitrdUserBase = 0x0000'0100'0000'0000ULL;  // 1 TiB
inline constexpr uint64_t kUserStackTop = 0x0000'7FFF'FFF0'0000ULL;
inline constexpr uint64_t kUserStackPages = 16;  // 64 KiB, with an unmapped guard page below

// Priorities (0 highest, 255 lowest).
inline constexpr uint64_t kInitPriority = 10;
inline constexpr uint64_t kDefaultPriority = 100;

}  // namespace mu
