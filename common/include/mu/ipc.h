// The IPC and thread ABI shared by the kernel and user space: message tags, the IPC buffer,
// register use of the IPC calls, fault messages, user registers and init's initial CSpace.
// Reference: docs/syscalls.md.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace mu {

// ---- Messages ----
// A message is a tag plus up to kMaxMessageWords words (message registers, MRs). MR0..MR3 travel
// in registers (rdx, r10, r8, r9); MR4.. in the IPC buffer's `mr` array at the same index.
inline constexpr unsigned kMaxMessageWords = 64;
inline constexpr unsigned kRegisterMessageWords = 4;
inline constexpr unsigned kMaxTransferCaps = 1;  // capabilities one message can carry

// Tag layout (one 64-bit word in rsi):
//   bits 0-6   length: number of message words (0..kMaxMessageWords)
//   bits 7-8   extra_caps: capabilities to transfer (0..kMaxTransferCaps), CPtrs in the
//              sender's IPC buffer `caps`; needs the grant right on the endpoint cap
//   bit  9     from_notification (output only): the receive returned a bound notification's
//              word (in rdi, as the badge) instead of a message
//   bits 12-63 label: free for the protocol (fault messages use the kFault* labels)
struct MessageTag {
  uint64_t raw = 0;

  static constexpr MessageTag make(uint64_t label, uint64_t length, uint64_t extra_caps = 0) {
    return MessageTag{(label << 12) | ((extra_caps & 3) << 7) | (length & 0x7F)};
  }
  [[nodiscard]] constexpr uint64_t length() const { return raw & 0x7F; }
  [[nodiscard]] constexpr uint64_t extra_caps() const { return (raw >> 7) & 3; }
  [[nodiscard]] constexpr bool from_notification() const { return (raw >> 9) & 1; }
  [[nodiscard]] constexpr uint64_t label() const { return raw >> 12; }
};
inline constexpr uint64_t kTagFromNotification = uint64_t{1} << 9;

// The per-thread IPC buffer: one 4 KiB frame the thread's TCB names (TcbConfigure), mapped
// writable in the thread's VSpace at a 4 KiB-aligned address.
struct IpcBuffer {
  uint64_t mr[kMaxMessageWords];  // mr[0..3] unused (those travel in registers)
  // Sender: CPtrs (in the sender's CSpace) of the capabilities to transfer.
  uint64_t caps[kMaxTransferCaps];
  // Receiver: where a transferred capability goes: a CNode CPtr (or kSelfCNode) and an index.
  // receive_cnode == 0 means "accept no capability" (it is then dropped, the message delivered).
  uint64_t receive_cnode;
  uint64_t receive_index;
  // Receiver, after a message with a capability: how many were transferred (0 or 1).
  uint64_t received_caps;
  uint64_t user_data[4];  // the runtime's own use (e.g. a thread pointer); the kernel ignores it
};
static_assert(sizeof(IpcBuffer) <= 4096);

// ---- Register use of the IPC calls (SYSCALL; rcx and r11 are clobbered as always) ----
//   in:  rax = Sys number, rdi = endpoint/notification/reply CPtr, rsi = tag,
//        rdx, r10, r8, r9 = MR0..MR3, r12 = reply CPtr (Recv, NBRecv, ReplyRecv),
//        r13 = timeout in ns (Send, Call, Recv, ReplyRecv, NtfnWait; 0 = wait for ever)
//   out: rax = status (0 or a negative mu::Status), rdi = badge, rsi = tag, rdx, r10, r8, r9 =
//        MR0..MR3 (Recv, NBRecv, Call, ReplyRecv); every other register is preserved.
inline constexpr uint64_t kMaxIpcTimeoutNs = 3600ULL * 1000 * 1000 * 1000;  // one hour

// ---- Frame mapping flags (FrameMap, FrameRemap) ----
// Read is implied. Write needs the write right on the frame cap; execute needs the read right.
// Write and execute together are refused (W^X).
inline constexpr uint64_t kMapWrite = 1u << 0;
inline constexpr uint64_t kMapExecute = 1u << 1;

// ---- Faults ----
// A thread's fault becomes a message on its fault endpoint (TcbConfigure). The badge is that of
// the fault endpoint capability; the label says what happened; the words:
enum FaultLabel : uint64_t {
  kFaultPage = 1,            // mr0 = rip, mr1 = fault address (CR2), mr2 = error code
  kFaultException = 2,       // mr0 = rip, mr1 = vector (#UD 6, #GP 13, ...), mr2 = error code
  kFaultUnknownSyscall = 3,  // mr0 = rip, mr1 = the syscall number (rax)
  kFaultExit = 4,            // mr0 = rip, mr1 = exit code: ThreadExit/ProcessExit of a TCB
                             // thread with a fault endpoint; it stays Inactive whatever the reply
};
inline constexpr uint64_t kFaultMessageWords = 3;
// The handler replies to resume the thread: a reply with label 0 resumes it where it stopped
// (it retries the instruction), a reply with label kFaultReplyStop leaves it suspended; to change
// its registers first the handler uses TcbWriteRegisters. No reply leaves it stopped.
inline constexpr uint64_t kFaultReplyStop = 1;

// ---- Registers of a thread (TcbReadRegisters / TcbWriteRegisters) ----
struct UserRegisters {
  uint64_t rip, rsp, rflags;
  uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
  uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};
// TcbGetInfo's result: state | priority << 8 | mcp << 16.
enum class ThreadRunState : uint8_t {
  Inactive = 0,         // never resumed, suspended, exited or stopped after a fault
  Running = 1,          // running or ready to run
  BlockedSend = 2,      // in Send/Call waiting for a receiver
  BlockedRecv = 3,      // in Recv/ReplyRecv waiting for a sender
  BlockedReply = 4,     // in Call waiting for the reply (also: a fault waiting for its handler)
  BlockedNotification = 5,  // in NtfnWait
  Sleeping = 6,         // in SleepNs
};

// Flags a write may change (CF PF AF ZF SF TF DF OF); IF is always on in user mode.
inline constexpr uint64_t kUserFlagsMask = 0xDD5;

// ---- init's initial CSpace (root CNode of 2^kInitCNodeRadix slots) ----
inline constexpr unsigned kInitCNodeRadix = 12;  // 4096 slots
enum InitSlot : uint64_t {
  kInitSlotNull = 0,        // always empty: CPtr 0 means "none" in optional arguments
  kInitSlotCNode = 1,       // init's root CNode
  kInitSlotTcb = 2,         // init's TCB
  kInitSlotVSpace = 3,      // init's VSpace
  kInitSlotIrqControl = 4,  // IRQControl
  kInitSlotIoPort = 5,      // every I/O port (0..0xFFFF)
  kInitSlotIpcBuffer = 6,   // init's IPC buffer frame (mapped at kInitIpcBufferAddr)
  kInitSlotFirstFree = 16,  // slots from here on are free after the boot-info ranges
};
inline constexpr uint64_t kInitIpcBufferAddr = 0x0000'7FFF'FFFF'D000ULL;

// Where init finds the rest of its initial capabilities: the kernel maps this record read-only
// at the fixed address kInitBootCapsAddr in init's VSpace (docs/syscalls.md "Program start-up").
struct InitCapRange {
  uint64_t first;  // first slot
  uint64_t count;  // number of slots
};
inline constexpr uint64_t kMaxBootUntyped = 1024;
// The GOP framebuffer as a program sees it (init: InitBootCaps::fb; the console: ProgramStart).
struct FramebufferGeometry {
  uint64_t bytes;                 // 0: no framebuffer
  uint32_t width, height, pitch;  // pixels, pixels, bytes per scan line
  uint8_t red_shift, green_shift, blue_shift, bits_per_pixel;  // 32 bpp only for now
};
struct InitBootCaps {
  uint64_t magic;                   // kInitBootCapsMagic
  InitCapRange untyped;             // Untyped caps, sorted by physical address
  InitCapRange initrd_frames;       // Frame4K caps over the initrd, in order
  InitCapRange framebuffer_frames;  // Frame4K caps over the GOP framebuffer (count 0 if none)
  InitCapRange acpi_frames;         // Frame4K caps over the ACPI tables (RSDP page first)
  InitCapRange image_frames;        // Frame4K caps of init's own pages (ELF segments, stack, this
                                    // record), each mapped: CapIdentify's word0 is its address
  uint64_t first_free_slot;         // every slot from here to the end of the CNode is empty
  uint64_t untyped_paddr[kMaxBootUntyped];     // physical address (index = slot - first)
  uint8_t untyped_size_bits[kMaxBootUntyped];  // and log2 size of each untyped
  FramebufferGeometry fb;                      // geometry of framebuffer_frames
  uint64_t usable_bytes;                       // RAM the firmware reported usable
  uint64_t kernel_bytes;  // usable RAM the kernel kept (image, tables, reserve): not in untyped
};
inline constexpr uint64_t kInitBootCapsMagic = 0x5350'4143'5442'554DULL;  // "MUBTCAPS"
inline constexpr uint64_t kInitBootCapsAddr = 0x0000'7FFF'FFF8'0000ULL;
static_assert(sizeof(InitBootCaps) <= 4 * 4096);

}  // namespace mu
