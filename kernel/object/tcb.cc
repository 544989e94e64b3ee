// TCB objects: threads in retyped memory (object/tcb.h). The thread's kernel stack is the rest
// of the object; its user registers are the x86::InterruptFrame at the stack top, and a thread
// that starts, or restarts after its registers were written, leaves through interrupt_return.
#include "object/tcb.h"

#include <new>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"
#include "debug/panic.h"
#include "ipc/ipc.h"
#include "mm/user_range.h"
#include "object/cap_ops.h"
#include "object/kernel_objects.h"
#include "sched/scheduler.h"
#include "syscall/syscall.h"

// context_switch.S: the first code of a TCB thread restarted from its user frame, and the jump
// back to user mode through a given frame.
extern "C" void tcb_user_trampoline();
extern "C" [[noreturn]] void tcb_frame_return(kernel::x86::InterruptFrame* frame);

extern "C" void tcb_finish_switch() { kernel::sched::finish_switch(); }

namespace kernel::object {
namespace {

constexpr uint64_t kUserCodeSelector = 0x23;
constexpr uint64_t kUserDataSelector = 0x1b;
constexpr uint64_t kFlagsIf = 0x200;
constexpr uint64_t kFlagsReserved = 0x2;  // bit 1 of RFLAGS always reads 1
constexpr uint64_t kPage = 4096;

// The managed slots configure copies capabilities into.
constexpr unsigned kConfiguredSlots[] = {kTcbSlotCSpace, kTcbSlotVSpace, kTcbSlotIpcBuffer,
                                         kTcbSlotFaultEp};
constexpr unsigned kConfiguredCount = sizeof(kConfiguredSlots) / sizeof(kConfiguredSlots[0]);

TcbObject* tcb_at(uint64_t phys) {
  return static_cast<TcbObject*>(kernel_memory().to_virtual(phys));
}

SlotRef ref_of(Slot* slot) { return SlotRef{CNode(slot, 0), 0}; }

bool type_is(const Slot* slot, ObjectType type) {
  return slot == nullptr || (!slot->empty() && slot->cap.type == type);
}

// The page-table root a thread of this TCB runs with: its VSpace, or the kernel's tables when it
// has none (it then faults as soon as it touches user memory).
uint64_t address_space_of(const TcbObject* tcb) {
  const Slot& vspace = tcb->slots[kTcbSlotVSpace];
  return vspace.empty() ? sched::kernel_cr3() : vspace.cap.object;
}

// A thread that keeps running gets its new address space at once.
void apply_address_space(TcbObject* tcb) {
  sched::Thread* thread = &tcb->thread;
  thread->cr3 = address_space_of(tcb);
  x86::PerCpu& cpu = x86::this_cpu();
  if (thread == sched::current() && cpu.loaded_cr3 != thread->cr3) {
    x86::write_cr3(thread->cr3);
    cpu.loaded_cr3 = thread->cr3;
  }
}

}  // namespace

TcbObject* tcb_from_cap(const Capability& cap) { return object_ptr<TcbObject>(cap); }

void tcb_created(uint64_t phys) {
  TcbObject* tcb = new (tcb_at(phys)) TcbObject();
  sched::Thread& thread = tcb->thread;
  thread.id = sched::new_thread_id();
  const char kName[] = "tcb";
  for (size_t i = 0; i < sizeof(kName); ++i) thread.name[i] = kName[i];
  const uint64_t base = reinterpret_cast<uint64_t>(tcb);
  thread.stack.bottom = (base + sizeof(TcbObject) + 15) & ~uint64_t{15};
  thread.stack.top = base + kTcbSize;
  thread.state = sched::ThreadState::Inactive;
  thread.user = true;
  thread.tcb = tcb;
  (void)thread.set_priority(sched::kPriorityCount - 1);  // not queued: cannot fail
  thread.mcp = sched::kPriorityCount - 1;
  thread.slice.set_quantum(sched::time_slice_ns());
  thread.slice.refill();
  x86::fpu_init_area(&thread.fpu);
  tcb->stack_canary = kStackCanary;

  x86::InterruptFrame* frame = thread.user_frame();
  *frame = x86::InterruptFrame{};
  frame->cs = kUserCodeSelector;
  frame->ss = kUserDataSelector;
  frame->rflags = kFlagsIf | kFlagsReserved;
  tcb_restart_from_frame(&thread);
}

void tcb_restart_from_frame(sched::Thread* thread) {
  // The frame context_switch pops (context_switch.S): r15, r14, r13, r12, rbx, rbp, rflags, then
  // the return address, which sits right below the user frame so that rsp ends at the frame.
  x86::InterruptFrame* frame = thread->user_frame();
  uint64_t* sp = reinterpret_cast<uint64_t*>(frame);
  *--sp = reinterpret_cast<uint64_t>(&tcb_user_trampoline);
  *--sp = kFlagsReserved;                     // rflags: IF off while in the kernel
  *--sp = 0;                                  // rbp
  *--sp = 0;                                  // rbx
  *--sp = reinterpret_cast<uint64_t>(frame);  // r12
  *--sp = 0;                                  // r13
  *--sp = 0;                                  // r14
  *--sp = 0;                                  // r15
  thread->saved_rsp = reinterpret_cast<uint64_t>(sp);
  thread->fault_pending = false;  // a fault it was waiting on is abandoned with the old context
}

void tcb_return_to_user(sched::Thread* thread) { tcb_frame_return(thread->user_frame()); }

void tcb_check_stack(const sched::Thread* thread) {
  if (thread->tcb->stack_canary != kStackCanary)
    panic("tcb: kernel stack overflow in thread %u (%s)", thread->id, thread->name);
}

void tcb_switching_in(sched::Thread* thread) { thread->cr3 = address_space_of(thread->tcb); }

mu::Status tcb_configure(TcbObject* tcb, Slot* cspace, Slot* vspace, Slot* ipc_buffer,
                         uint64_t ipc_buffer_addr, Slot* fault_ep) {
  if (!type_is(cspace, ObjectType::CNode) || !type_is(vspace, ObjectType::VSpace) ||
      !type_is(ipc_buffer, ObjectType::Frame4K) || !type_is(fault_ep, ObjectType::Endpoint))
    return mu::Status::WrongType;
  if ((ipc_buffer == nullptr) != (ipc_buffer_addr == 0)) return mu::Status::InvalidArgument;
  if (ipc_buffer != nullptr) {
    if (!mm::is_aligned(ipc_buffer_addr, kPage) ||
        mm::check_user_range(ipc_buffer_addr, kPage) != mm::UserRangeStatus::Ok)
      return mu::Status::InvalidArgument;
    // The kernel writes messages into the buffer: only a frame its holder may write will do.
    if (!ipc_buffer->cap.rights.can_write()) return mu::Status::InsufficientRights;
  }

  // Old caps move out first and are deleted only after the new ones are in: deleting one may
  // destroy objects (even the CNode that held the new caps, or this TCB itself).
  Slot* const sources[kConfiguredCount] = {cspace, vspace, ipc_buffer, fault_ep};
  Slot old[kConfiguredCount];
  for (unsigned i = 0; i < kConfiguredCount; ++i) {
    Slot* mine = &tcb->slots[kConfiguredSlots[i]];
    if (!mine->empty()) (void)cap_move(ref_of(mine), ref_of(&old[i]));
    if (sources[i] != nullptr) (void)cap_copy(ref_of(sources[i]), ref_of(mine), mu::kRightsAll);
  }
  tcb->ipc_buffer_addr = ipc_buffer_addr;
  tcb->ipc_buffer =
      ipc_buffer != nullptr
          ? static_cast<mu::IpcBuffer*>(kernel_memory().to_virtual(ipc_buffer->cap.object))
          : nullptr;
  if (tcb->thread.state != sched::ThreadState::Inactive) apply_address_space(tcb);
  for (Slot& slot : old) {
    if (!slot.empty()) delete_slot(kernel_context(), &slot);
  }
  return mu::Status::Ok;
}

void tcb_read_registers(TcbObject* tcb, mu::UserRegisters* out) {
  const x86::InterruptFrame& f = *tcb->thread.user_frame();
  *out = mu::UserRegisters{f.rip, f.rsp, f.rflags, f.rax, f.rbx, f.rcx, f.rdx, f.rsi, f.rdi,
                           f.rbp, f.r8,  f.r9,     f.r10, f.r11, f.r12, f.r13, f.r14, f.r15};
}

mu::Status tcb_write_registers(TcbObject* tcb, const mu::UserRegisters& in) {
  if (in.rip >= mm::kUserEnd || in.rsp >= mm::kUserEnd) return mu::Status::InvalidArgument;
  sched::Thread* thread = &tcb->thread;
  const bool inactive = thread->state == sched::ThreadState::Inactive;
  const bool in_fault = thread->state == sched::ThreadState::Blocked && thread->fault_pending;
  if (!inactive && !in_fault) return mu::Status::IllegalOperation;
  x86::InterruptFrame* f = thread->user_frame();
  f->rip = in.rip;
  f->rsp = in.rsp;
  f->rflags = (in.rflags & mu::kUserFlagsMask) | kFlagsIf | kFlagsReserved;
  f->cs = kUserCodeSelector;
  f->ss = kUserDataSelector;
  f->rax = in.rax;
  f->rbx = in.rbx;
  f->rcx = in.rcx;
  f->rdx = in.rdx;
  f->rsi = in.rsi;
  f->rdi = in.rdi;
  f->rbp = in.rbp;
  f->r8 = in.r8;
  f->r9 = in.r9;
  f->r10 = in.r10;
  f->r11 = in.r11;
  f->r12 = in.r12;
  f->r13 = in.r13;
  f->r14 = in.r14;
  f->r15 = in.r15;
  // A thread blocked in its fault returns through its fault path, which restores the whole
  // frame; an Inactive one starts again from the frame when resumed.
  if (inactive) {
    tcb_restart_from_frame(thread);
    thread->exited = false;  // an exited thread has somewhere to go again
  }
  return mu::Status::Ok;
}

mu::Status tcb_set_priority(TcbObject* tcb, uint64_t priority, uint64_t authority_mcp) {
  if (priority >= sched::kPriorityCount) return mu::Status::InvalidArgument;
  if (priority < authority_mcp) return mu::Status::AboveMcp;
  sched::change_priority(&tcb->thread, static_cast<sched::Priority>(priority));
  return mu::Status::Ok;
}

mu::Status tcb_set_mcp(TcbObject* tcb, uint64_t mcp, uint64_t authority_mcp) {
  if (mcp >= sched::kPriorityCount) return mu::Status::InvalidArgument;
  if (mcp < authority_mcp) return mu::Status::AboveMcp;
  tcb->thread.mcp = static_cast<sched::Priority>(mcp);
  return mu::Status::Ok;
}

mu::Status tcb_resume(TcbObject* tcb) {
  sched::Thread* thread = &tcb->thread;
  if (thread->state == sched::ThreadState::Dead) return mu::Status::IllegalOperation;
  if (thread->state != sched::ThreadState::Inactive) return mu::Status::Ok;
  if (thread->exited) return mu::Status::IllegalOperation;
  if (tcb->slots[kTcbSlotCSpace].empty() || tcb->slots[kTcbSlotVSpace].empty())
    return mu::Status::IllegalOperation;
  thread->cr3 = address_space_of(tcb);
  sched::resume(thread);
  return mu::Status::Ok;
}

void tcb_suspend(TcbObject* tcb) {
  sched::Thread* thread = &tcb->thread;
  const sched::ThreadState state = thread->state;
  if (state == sched::ThreadState::Inactive || state == sched::ThreadState::Dead) return;
  ipc::cancel_ipc(thread);
  if (thread == sched::current()) {
    thread->state = sched::ThreadState::Inactive;
    sched::stop_current();  // returns when resumed: the syscall then completes normally
    return;
  }
  sched::unschedule(thread);
  thread->state = sched::ThreadState::Inactive;
  // A ready thread was preempted and continues where it was when resumed. A waiting one gives
  // up its wait: a syscall returns Cancelled, a fault is retried (its instruction runs again).
  if (state == sched::ThreadState::Blocked || state == sched::ThreadState::Sleeping) {
    x86::InterruptFrame* frame = thread->user_frame();
    if (frame->vector == syscall::kSyscallVector)
      frame->rax = static_cast<uint64_t>(mu::status_value(mu::Status::Cancelled));
    tcb_restart_from_frame(thread);
  }
}

mu::ThreadRunState tcb_run_state(const TcbObject* tcb) {
  using mu::ThreadRunState;
  const sched::Thread& thread = tcb->thread;
  switch (thread.state) {
    case sched::ThreadState::Ready:
    case sched::ThreadState::Running: return ThreadRunState::Running;
    case sched::ThreadState::Sleeping: return ThreadRunState::Sleeping;
    case sched::ThreadState::Blocked: break;
    case sched::ThreadState::Free:
    case sched::ThreadState::Dead:
    case sched::ThreadState::Inactive: return ThreadRunState::Inactive;
  }
  if (thread.fault_pending) return ThreadRunState::BlockedReply;
  switch (thread.ipc.waiting) {
    case ipc::IpcWait::Send: return ThreadRunState::BlockedSend;
    case ipc::IpcWait::Reply: return ThreadRunState::BlockedReply;
    case ipc::IpcWait::Notification: return ThreadRunState::BlockedNotification;
    case ipc::IpcWait::Recv:
    case ipc::IpcWait::None: return ThreadRunState::BlockedRecv;
  }
  return ThreadRunState::BlockedRecv;
}

void tcb_destroyed(uint64_t phys) {
  sched::Thread* thread = &tcb_at(phys)->thread;
  if (thread->state == sched::ThreadState::Dead) return;
  ipc::cancel_ipc(thread);
  if (thread != sched::current()) sched::unschedule(thread);
  // The running thread keeps executing its syscall on this (now free) memory until the syscall
  // path sees Dead and switches away for good (sched::exit_current); nothing can retype the
  // memory before that.
  thread->state = sched::ThreadState::Dead;
}

}  // namespace kernel::object
