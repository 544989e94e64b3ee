// The TCB object: a thread that lives in memory retyped from an untyped (16 KiB, capability.h).
//   [0, 512)            slots the TCB holds (indices below), walked by delete like a CNode's
//   [512, sizeof)       the sched::Thread
//   [sizeof, 16 KiB)    the thread's kernel stack (grows down from the end of the object)
// The thread is Inactive after retype; TcbConfigure gives it a CSpace and VSpace, TcbResume runs
// it. Implemented in kernel/object/tcb.cc.
#pragma once

#include <stdint.h>

#include "mu/ipc.h"
#include "mu/syscall.h"
#include "object/capability.h"
#include "sched/thread.h"

namespace kernel::object {

enum TcbSlot : unsigned {
  kTcbSlotCSpace = 0,        // CNode: the thread's CSpace root
  kTcbSlotVSpace = 1,        // VSpace: its address space
  kTcbSlotIpcBuffer = 2,     // Frame4K: its IPC buffer (mapped at TcbObject::ipc_buffer_addr)
  kTcbSlotFaultEp = 3,       // Endpoint: where its faults go (badge of that cap identifies it)
  kTcbSlotNotification = 4,  // Notification bound to it (TcbBindNotification)
  // IoPort caps: the ports it may use, one range per slot (TcbSetIoPorts index 0..2 names
  // slot kTcbSlotIoPort + index).
  kTcbSlotIoPort = 5,
  kTcbSlotIoPortLast = 7,
  kTcbSlotCount = 1u << kTcbSlotRadix,
};
inline constexpr unsigned kTcbIoPortRanges = kTcbSlotIoPortLast - kTcbSlotIoPort + 1;
static_assert(kTcbSlotIoPortLast < kTcbSlotCount, "the I/O-port slots fit the TCB's slots");

struct TcbObject {
  Slot slots[kTcbSlotCount];
  sched::Thread thread;
  uint64_t ipc_buffer_addr = 0;         // user address of the IPC buffer (0: none)
  mu::IpcBuffer* ipc_buffer = nullptr;  // kernel (direct-map) view of the IPC buffer frame
  uint64_t stack_canary = 0;  // kStackCanary while the kernel stack never overflowed into here
};
inline constexpr uint64_t kTcbSize = uint64_t{1} << kTcbBits;
inline constexpr uint64_t kStackCanary = 0x7463'625F'6361'6E72ULL;
static_assert(sizeof(TcbObject) + 8192 <= kTcbSize, "a TCB keeps at least 8 KiB of kernel stack");

// The TCB a capability names (kernel direct-map view); the cap must be a Tcb cap.
[[nodiscard]] TcbObject* tcb_from_cap(const Capability& cap);
// The TCB the thread lives in, or nullptr for kernel-table threads.
[[nodiscard]] inline TcbObject* tcb_of(sched::Thread* thread) { return thread->tcb; }

// The operations behind the TCB syscalls, also used by the kernel to build init. Capabilities
// given as slots are copied (derived) into the TCB's own slots; nullptr empties that TCB slot.
// configure checks every argument first: cspace must be a CNode, vspace a VSpace, ipc_buffer a
// Frame4K with ipc_buffer_addr a 4 KiB-aligned user address (both or neither), fault_ep an
// Endpoint; a thread that is running or ready keeps running with the new values.
[[nodiscard]] mu::Status tcb_configure(TcbObject* tcb, Slot* cspace, Slot* vspace, Slot* ipc_buffer,
                                       uint64_t ipc_buffer_addr, Slot* fault_ep);
// Registers: write checks rip and rsp are canonical user addresses and keeps only the flags in
// mu::kUserFlagsMask (plus IF). The thread resumes from them through interrupt_return.
// Writing is allowed only while nothing else will use the frame: the thread is Inactive, or
// blocked waiting for the reply to a fault it sent (Thread::fault_pending). Otherwise (running,
// ready, blocked in a syscall, dead) IllegalOperation: suspend it first.
void tcb_read_registers(TcbObject* tcb, mu::UserRegisters* out);
[[nodiscard]] mu::Status tcb_write_registers(TcbObject* tcb, const mu::UserRegisters& in);
// Priority and MCP. 0 is the highest priority, so "no higher than the caller's MCP" means
// value >= authority_mcp numerically (AboveMcp otherwise); values above 255 are InvalidArgument.
[[nodiscard]] mu::Status tcb_set_priority(TcbObject* tcb, uint64_t priority,
                                          uint64_t authority_mcp);
[[nodiscard]] mu::Status tcb_set_mcp(TcbObject* tcb, uint64_t mcp, uint64_t authority_mcp);
// Resume: an Inactive thread becomes ready (IllegalOperation without a CSpace and VSpace, or
// after an exit its fault handler was told of, until its registers are written); a thread that
// is not Inactive is left as it is. Suspend: it stops wherever it is (IPC
// cancelled) and becomes Inactive; suspending oneself does not return to user mode.
[[nodiscard]] mu::Status tcb_resume(TcbObject* tcb);
void tcb_suspend(TcbObject* tcb);
// TcbGetInfo: what the thread is doing, as mu::ThreadRunState. A thread waiting for the handler
// of a fault it sent (queued on the fault endpoint or waiting for the reply) is BlockedReply; a
// thread blocked on no IPC object (none is since Wait was retired) would count as BlockedRecv.
[[nodiscard]] mu::ThreadRunState tcb_run_state(const TcbObject* tcb);

// Retype hook: constructs an Inactive thread in freshly zeroed TCB memory at `phys`.
void tcb_created(uint64_t phys);
// DestroyHook for Tcb: the thread stops (dequeued from every queue, its IPC cancelled); if it is
// the running thread, it never returns to user mode. Its slots were emptied before this runs.
void tcb_destroyed(uint64_t phys);

// ---- Used by the scheduler, the fault path and the exit path ----
// Rebuilds the saved kernel context of a switched-out TCB thread so that the next switch to it
// leaves through interrupt_return with its user frame (whatever it was doing in the kernel is
// abandoned). Precondition: `thread` is not the running thread (its stack would be overwritten).
void tcb_restart_from_frame(sched::Thread* thread);
// The running TCB thread leaves the kernel through interrupt_return with its user frame now,
// abandoning its kernel stack (an unknown-syscall fault or a ThreadExit that was resumed: every
// register the frame holds is restored, unlike SYSRET).
[[noreturn]] void tcb_return_to_user(sched::Thread* thread);
// On every switch to or from a TCB thread: panics (naming the thread) when its kernel stack
// overflowed into the canary; for the thread switched to, also loads the address space its TCB
// holds now (the kernel's own when its VSpace cap was deleted: it then faults in user mode).
void tcb_check_stack(const sched::Thread* thread);
void tcb_switching_in(sched::Thread* thread);

}  // namespace kernel::object
