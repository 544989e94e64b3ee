// User-space wrappers for the capability, thread, IPC, address-space and interrupt system calls
// (mu::Sys 10..53). Register use follows mu/syscall.h (arguments in rdi, rsi, rdx, r10, r8, r9)
// and mu/ipc.h (IPC: tag in rsi, MR0..MR3 in rdx, r10, r8, r9, reply CPtr in r12, timeout in r13;
// results come back in the same registers, badge in rdi). Every wrapper returns the raw rax value:
// 0 (or a non-negative result such as a physical address) or a negative mu::Status.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mu/cap_abi.h"
#include "mu/ipc.h"
#include "mu/syscall.h"

namespace mu::user {

// ---- Raw entry points ----

// Six arguments in, rax out; the kernel preserves every other register except rcx and r11.
inline int64_t syscall6(Sys number, uint64_t a0 = 0, uint64_t a1 = 0, uint64_t a2 = 0,
                        uint64_t a3 = 0, uint64_t a4 = 0, uint64_t a5 = 0) {
  int64_t result;
  register uint64_t r10 asm("r10") = a3;
  register uint64_t r8 asm("r8") = a4;
  register uint64_t r9 asm("r9") = a5;
  asm volatile("syscall"
               : "=a"(result)
               : "a"(static_cast<uint64_t>(number)), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8),
                 "r"(r9)
               : "rcx", "r11", "memory");
  return result;
}

// Every argument register in and out (rdi, rsi, rdx, r10, r8, r9 = regs[0..5]) plus r12 and r13
// in: the shape of the IPC calls, CapIdentify, NtfnWait/Poll, and of any call the stress test
// makes with arbitrary registers. Registers the kernel does not write come back unchanged.
struct RawRegs {
  uint64_t regs[6];
  uint64_t r12;
  uint64_t r13;
};
inline int64_t syscall_raw(uint64_t number, RawRegs* r) {
  register uint64_t rdi asm("rdi") = r->regs[0];
  register uint64_t rsi asm("rsi") = r->regs[1];
  register uint64_t rdx asm("rdx") = r->regs[2];
  register uint64_t r10 asm("r10") = r->regs[3];
  register uint64_t r8 asm("r8") = r->regs[4];
  register uint64_t r9 asm("r9") = r->regs[5];
  register uint64_t r12 asm("r12") = r->r12;
  register uint64_t r13 asm("r13") = r->r13;
  uint64_t rax = number;
  asm volatile("syscall"
               : "+a"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8), "+r"(r9)
               : "r"(r12), "r"(r13)
               : "rcx", "r11", "memory");
  r->regs[0] = rdi;
  r->regs[1] = rsi;
  r->regs[2] = rdx;
  r->regs[3] = r10;
  r->regs[4] = r8;
  r->regs[5] = r9;
  return static_cast<int64_t>(rax);
}

// ---- Capability space and retype (10..16) ----

inline int64_t cap_copy(uint64_t src_cnode, uint64_t src_index, uint64_t dst_cnode,
                        uint64_t dst_index, uint64_t rights_mask = kRightsAll) {
  return syscall6(Sys::CapCopy, src_cnode, src_index, dst_cnode, dst_index, rights_mask);
}
inline int64_t cap_mint(uint64_t src_cnode, uint64_t src_index, uint64_t dst_cnode,
                        uint64_t dst_index, uint64_t rights_mask, uint64_t badge) {
  return syscall6(Sys::CapMint, src_cnode, src_index, dst_cnode, dst_index, rights_mask, badge);
}
inline int64_t cap_move(uint64_t src_cnode, uint64_t src_index, uint64_t dst_cnode,
                        uint64_t dst_index) {
  return syscall6(Sys::CapMove, src_cnode, src_index, dst_cnode, dst_index);
}
inline int64_t cap_delete(uint64_t cnode, uint64_t index) {
  return syscall6(Sys::CapDelete, cnode, index);
}
inline int64_t cap_revoke(uint64_t cnode, uint64_t index) {
  return syscall6(Sys::CapRevoke, cnode, index);
}

// CapIdentify's packed result, decoded.
struct CapInfo {
  ObjectType type;
  uint8_t rights;
  uint8_t size_bits;
  uint64_t word0;  // badge, watermark, mapped address, IRQ line, first port (capability.h)
  uint64_t word1;  // mapped ASID, last port
};
// Returns type | rights << 8 | size_bits << 16 (or a negative status); word0/word1 may be null.
inline int64_t cap_identify(uint64_t cptr, uint64_t* word0 = nullptr, uint64_t* word1 = nullptr) {
  RawRegs r{{cptr, 0, 0, 0, 0, 0}, 0, 0};
  const int64_t result = syscall_raw(static_cast<uint64_t>(Sys::CapIdentify), &r);
  if (word0 != nullptr) *word0 = r.regs[0];
  if (word1 != nullptr) *word1 = r.regs[1];
  return result;
}
// As cap_identify, filling `info` on success.
inline int64_t cap_identify(uint64_t cptr, CapInfo* info) {
  uint64_t w0 = 0, w1 = 0;
  const int64_t packed = cap_identify(cptr, &w0, &w1);
  if (packed >= 0) {
    info->type = static_cast<ObjectType>(packed & 0xFF);
    info->rights = static_cast<uint8_t>((packed >> 8) & 0xFF);
    info->size_bits = static_cast<uint8_t>((packed >> 16) & 0xFF);
    info->word0 = w0;
    info->word1 = w1;
  }
  return packed;
}

// As cap_identify for slot `index` of CNode `cnode` (a CNode cap in the caller's CSpace, or
// kSelfCNode): how init shows another program's capabilities.
inline int64_t cap_identify_in(uint64_t cnode, uint64_t index, CapInfo* info) {
  RawRegs r{{cnode, index, 0, 0, 0, 0}, 0, 0};
  const int64_t packed = syscall_raw(static_cast<uint64_t>(Sys::CapIdentifyIn), &r);
  if (packed >= 0) {
    info->type = static_cast<ObjectType>(packed & 0xFF);
    info->rights = static_cast<uint8_t>((packed >> 8) & 0xFF);
    info->size_bits = static_cast<uint8_t>((packed >> 16) & 0xFF);
    info->word0 = r.regs[0];
    info->word1 = r.regs[1];
  }
  return packed;
}

inline int64_t untyped_retype(uint64_t untyped, ObjectType type, uint64_t user_bits,
                              uint64_t dst_cnode, uint64_t dst_index, uint64_t count = 1) {
  return syscall6(Sys::UntypedRetype, untyped, static_cast<uint64_t>(type), user_bits, dst_cnode,
                  dst_index, count);
}

// ---- Threads (20..29) ----

inline int64_t tcb_configure(uint64_t tcb, uint64_t cspace, uint64_t vspace,
                             uint64_t ipc_buffer_frame, uint64_t ipc_buffer_addr,
                             uint64_t fault_ep) {
  return syscall6(Sys::TcbConfigure, tcb, cspace, vspace, ipc_buffer_frame, ipc_buffer_addr,
                  fault_ep);
}
inline int64_t tcb_set_priority(uint64_t tcb, uint64_t priority) {
  return syscall6(Sys::TcbSetPriority, tcb, priority);
}
inline int64_t tcb_set_mcp(uint64_t tcb, uint64_t mcp) {
  return syscall6(Sys::TcbSetMcp, tcb, mcp);
}
inline int64_t tcb_read_registers(uint64_t tcb, UserRegisters* out) {
  return syscall6(Sys::TcbReadRegisters, tcb, reinterpret_cast<uint64_t>(out));
}
inline int64_t tcb_write_registers(uint64_t tcb, const UserRegisters* in) {
  return syscall6(Sys::TcbWriteRegisters, tcb, reinterpret_cast<uint64_t>(in));
}
inline int64_t tcb_resume(uint64_t tcb) { return syscall6(Sys::TcbResume, tcb); }
inline int64_t tcb_suspend(uint64_t tcb) { return syscall6(Sys::TcbSuspend, tcb); }
inline int64_t tcb_bind_notification(uint64_t tcb, uint64_t notification) {
  return syscall6(Sys::TcbBindNotification, tcb, notification);
}
inline int64_t tcb_unbind_notification(uint64_t tcb) {
  return syscall6(Sys::TcbUnbindNotification, tcb);
}
// ThreadRunState | priority << 8 | mcp << 16, or a negative status.
inline int64_t tcb_get_info(uint64_t tcb) { return syscall6(Sys::TcbGetInfo, tcb); }
// Grant `index` (0..2) of the thread: the ports of `ioport`; ioport 0 clears that grant only.
inline int64_t tcb_set_io_ports(uint64_t tcb, uint64_t ioport, uint64_t index = 0) {
  return syscall6(Sys::TcbSetIoPorts, tcb, ioport, index);
}

// ---- IPC (30..39) ----

// A message's register part: the tag and MR0..MR3. Words MR4.. live in the IPC buffer's `mr`.
struct Message {
  uint64_t tag = 0;
  uint64_t mr[kRegisterMessageWords] = {};
};

// One IPC system call with the full IPC register set; `msg` is sent and overwritten with what
// comes back (unchanged registers for calls that return no message). `badge` may be null.
inline int64_t ipc_syscall(Sys number, uint64_t cptr, Message* msg, uint64_t reply_cptr,
                           uint64_t timeout_ns, uint64_t* badge) {
  RawRegs r{
      {cptr, msg->tag, msg->mr[0], msg->mr[1], msg->mr[2], msg->mr[3]}, reply_cptr, timeout_ns};
  const int64_t result = syscall_raw(static_cast<uint64_t>(number), &r);
  if (badge != nullptr) *badge = r.regs[0];
  msg->tag = r.regs[1];
  for (unsigned i = 0; i < kRegisterMessageWords; ++i) msg->mr[i] = r.regs[2 + i];
  return result;
}

inline int64_t send(uint64_t ep, const Message& msg, uint64_t timeout_ns = 0) {
  Message m = msg;
  return ipc_syscall(Sys::Send, ep, &m, 0, timeout_ns, nullptr);
}
inline int64_t nb_send(uint64_t ep, const Message& msg) {
  Message m = msg;
  return ipc_syscall(Sys::NBSend, ep, &m, 0, 0, nullptr);
}
// Receives into `out` (badge into *badge); `reply` is the Reply object a Call binds (0 = none).
inline int64_t recv(uint64_t ep, uint64_t reply, Message* out, uint64_t* badge,
                    uint64_t timeout_ns = 0) {
  *out = Message{};
  return ipc_syscall(Sys::Recv, ep, out, reply, timeout_ns, badge);
}
inline int64_t nb_recv(uint64_t ep, uint64_t reply, Message* out, uint64_t* badge) {
  *out = Message{};
  return ipc_syscall(Sys::NBRecv, ep, out, reply, 0, badge);
}
// Sends `msg` and waits for the reply, which replaces `msg`.
inline int64_t call(uint64_t ep, Message* msg, uint64_t timeout_ns = 0) {
  return ipc_syscall(Sys::Call, ep, msg, 0, timeout_ns, nullptr);
}
inline int64_t reply(uint64_t reply_cptr, const Message& msg) {
  Message m = msg;
  return ipc_syscall(Sys::Reply, reply_cptr, &m, 0, 0, nullptr);
}
// Replies through `reply_cptr` with `msg`, then receives on `ep` into `msg` (and *badge).
inline int64_t reply_recv(uint64_t ep, uint64_t reply_cptr, Message* msg, uint64_t* badge,
                          uint64_t timeout_ns = 0) {
  return ipc_syscall(Sys::ReplyRecv, ep, msg, reply_cptr, timeout_ns, badge);
}
inline int64_t signal(uint64_t notification) {
  Message m;
  return ipc_syscall(Sys::Signal, notification, &m, 0, 0, nullptr);
}
// Waits for the notification word (returned in *word and cleared in the object).
inline int64_t ntfn_wait(uint64_t notification, uint64_t* word, uint64_t timeout_ns = 0) {
  Message m;
  return ipc_syscall(Sys::NtfnWait, notification, &m, 0, timeout_ns, word);
}
inline int64_t ntfn_poll(uint64_t notification, uint64_t* word) {
  Message m;
  return ipc_syscall(Sys::NtfnPoll, notification, &m, 0, 0, word);
}

// ---- Address spaces (40..45) ----

inline int64_t page_table_map(uint64_t table, uint64_t vspace, uint64_t vaddr) {
  return syscall6(Sys::PageTableMap, table, vspace, vaddr);
}
inline int64_t page_table_unmap(uint64_t table) { return syscall6(Sys::PageTableUnmap, table); }
inline int64_t frame_map(uint64_t frame, uint64_t vspace, uint64_t vaddr, uint64_t map_flags) {
  return syscall6(Sys::FrameMap, frame, vspace, vaddr, map_flags);
}
inline int64_t frame_unmap(uint64_t frame) { return syscall6(Sys::FrameUnmap, frame); }
inline int64_t frame_remap(uint64_t frame, uint64_t map_flags) {
  return syscall6(Sys::FrameRemap, frame, map_flags);
}
// The frame's physical address (>= 0) or a negative status.
inline int64_t frame_address(uint64_t frame) { return syscall6(Sys::FrameAddress, frame); }

// ---- Interrupts and I/O ports (50..53) ----

inline int64_t irq_control_get(uint64_t irq_control, uint64_t line, uint64_t dst_cnode,
                               uint64_t dst_index) {
  return syscall6(Sys::IrqControlGet, irq_control, line, dst_cnode, dst_index);
}
inline int64_t irq_handler_set_notification(uint64_t handler, uint64_t notification) {
  return syscall6(Sys::IrqHandlerSetNotification, handler, notification);
}
inline int64_t irq_handler_ack(uint64_t handler) { return syscall6(Sys::IrqHandlerAck, handler); }
inline int64_t io_port_issue(uint64_t ioport, uint64_t first, uint64_t last, uint64_t dst_cnode,
                             uint64_t dst_index) {
  return syscall6(Sys::IoPortIssue, ioport, first, last, dst_cnode, dst_index);
}

// ---- IPC buffer and init's start-up record ----

// The IPC buffer mapped at `addr` (a thread knows where its creator mapped it).
inline IpcBuffer* ipc_buffer_at(uint64_t addr) { return reinterpret_cast<IpcBuffer*>(addr); }
// init's (root task's) IPC buffer, mapped by the kernel at kInitIpcBufferAddr.
inline IpcBuffer* init_ipc_buffer() { return ipc_buffer_at(kInitIpcBufferAddr); }
// init's boot-capability record, mapped read-only by the kernel at kInitBootCapsAddr.
inline const InitBootCaps* init_boot_caps() {
  return reinterpret_cast<const InitBootCaps*>(kInitBootCapsAddr);
}

}  // namespace mu::user
