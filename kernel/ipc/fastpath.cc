// The IPC fast path (fastpath.h): conditions first, then the transfer and a direct switch.
#include "ipc/fastpath.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/io_bitmap.h"
#include "arch/x86_64/percpu.h"
#include "ipc/internal.h"
#include "object/tcb.h"
#include "sched/scheduler.h"

// fastpath_switch.S: runs on `next_frame` (the partner's user frame) and leaves through
// syscall_return; `prev`'s saved_rsp becomes a context_switch frame that returns to user mode
// through its own user frame, so a later ordinary switch to it works.
extern "C" [[noreturn]] void fastpath_switch(uint64_t* prev_saved_rsp, void* prev_frame,
                                             void* next_frame);

namespace kernel::ipc {
namespace {

using object::ObjectType;
using sched::Thread;

// A message the fast path can carry: registers only, no capability.
bool register_message(uint64_t raw) {
  const mu::MessageTag tag{raw};
  return tag.length() <= mu::kRegisterMessageWords && tag.extra_caps() == 0;
}

// The capability at `cptr` in the running thread's root CNode, if it is of `type` with `rights`.
const object::Capability* cap_at(Thread* cur, uint64_t cptr, ObjectType type, uint8_t rights) {
  const object::Capability& root = cur->tcb->slots[object::kTcbSlotCSpace].cap;
  if (root.type != ObjectType::CNode || cptr >= (uint64_t{1} << root.size_bits)) return nullptr;
  const object::Slot* slot = object_at<object::Slot>(root.object) + cptr;
  if (slot->cap.type != type || !slot->cap.rights.has(rights)) return nullptr;
  return &slot->cap;
}

// The message registers of `from` into `to`'s frame, as deliver_message does for such a message.
void copy_registers(const x86::InterruptFrame* from, x86::InterruptFrame* to, uint64_t badge) {
  const mu::MessageTag tag{from->rsi};
  to->rax = 0;
  to->rdi = badge;
  to->rsi = mu::MessageTag::make(tag.label(), tag.length()).raw;
  to->rdx = from->rdx;
  to->r10 = from->r10;
  to->r8 = from->r8;
  to->r9 = from->r9;
}

// Moves the CPU from `cur` to `next` (both TCB threads, scheduler state already decided) and
// leaves for user mode in `next`'s frame.
[[noreturn, gnu::always_inline]] inline void switch_to_partner(x86::PerCpu& cpu, Thread* cur,
                                                               Thread* next) {
  // The address space its TCB holds now (object::tcb_switching_in, inline).
  const object::Slot& vspace = next->tcb->slots[object::kTcbSlotVSpace];
  next->cr3 = vspace.empty() ? sched::kernel_cr3() : vspace.cap.object;
  cpu.current = next;
  cpu.kernel_rsp = next->stack.top;  // x86::set_kernel_stack, without its call chain
  x86::set_tss_rsp0(next->stack.top);
  x86::io_bitmap_switch(next);  // its I/O ports, as sched::switch_to does (TcbSetIoPorts)
  if (next->cr3 != cpu.loaded_cr3) {
    x86::write_cr3(next->cr3);
    cpu.loaded_cr3 = next->cr3;
  }
  x86::fpu_save(&cur->fpu);
  x86::fpu_restore(&next->fpu);
  fastpath_switch(&cur->saved_rsp, cur->user_frame(), next->user_frame());
}

// `cur` blocks (already in its wait state) and `next` runs with cur's remaining time slice: no
// queue, timer or sleeper changes, so the timer deadline armed stays right.
// The kernel stack canaries are not checked here: the fast path runs at a fixed, shallow depth,
// and the next ordinary switch checks them.
[[noreturn, gnu::always_inline]] inline void switch_direct(x86::PerCpu& cpu, Thread* cur,
                                                           Thread* next) {
  cur->state = sched::ThreadState::Blocked;
  cur->wake_ns = 0;
  next->state = sched::ThreadState::Running;
  next->slice = cur->slice;
  next->slice_start_ns = cur->slice_start_ns;
  switch_to_partner(cpu, cur, next);
}

// Signal that wakes a NtfnWait waiter of higher priority: the waiter gets the word and runs at
// once, exactly as signal() + make_ready() + the preemption would do.
[[gnu::always_inline]] inline void fastpath_signal(syscall::SyscallFrame* f) {
  x86::PerCpu& cpu = x86::this_cpu();
  Thread* cur = cpu.current;
  if (cur->tcb == nullptr) return;
  const object::Capability* cap = cap_at(cur, f->rdi, ObjectType::Notification, mu::kRightWrite);
  if (cap == nullptr) return;
  auto* n = object_at<Notification>(cap->object);
  Thread* w = n->queue.head;
  if (w == nullptr || w->priority() >= cur->priority() || w->wake_ns != 0 || w->tcb == nullptr)
    return;
  const uint64_t badge = cap->badge();
  const uint64_t word = n->word | (badge != 0 ? badge : 1);
  n->queue.pop();
  n->word = 0;
  w->ipc.waiting = IpcWait::None;
  w->ipc.object = nullptr;
  x86::InterruptFrame* wf = w->user_frame();
  wf->rax = 0;
  wf->rdi = word;
  f->rax = 0;
  sched::preempt_current_by(w);  // cur stays ready at the head of its priority
  switch_to_partner(cpu, cur, w);
}

[[gnu::always_inline]] inline void fastpath_call(syscall::SyscallFrame* f) {
  x86::PerCpu& cpu = x86::this_cpu();
  Thread* cur = cpu.current;
  if (cur->tcb == nullptr || f->r13 != 0 || !register_message(f->rsi)) return;
  const object::Capability* cap =
      cap_at(cur, f->rdi, ObjectType::Endpoint, mu::kRightWrite | mu::kRightGrantReply);
  if (cap == nullptr) return;
  auto* ep = object_at<Endpoint>(cap->object);
  if (ep->state != EndpointState::Recv) return;
  Thread* r = ep->queue.head;
  // The receiver must be able to reply, run now (no lower priority than the caller, which was
  // the highest ready) in a user frame, and have no timeout to cancel.
  ReplyObject* reply = r->ipc.reply;
  if (reply == nullptr || r->priority() > cur->priority() || r->wake_ns != 0 || r->tcb == nullptr)
    return;
  ep->queue.pop();
  if (ep->queue.empty()) ep->state = EndpointState::Idle;
  r->ipc.waiting = IpcWait::None;
  r->ipc.object = nullptr;
  r->ipc.reply = nullptr;
  reply->waiter = nullptr;
  copy_registers(f, r->user_frame(), cap->badge());
  cur->ipc.flags = kIpcCall | (cap->rights.can_grant() ? kIpcGrant : 0);
  bind_caller(reply, cur, (r->ipc.flags & kIpcGrant) != 0);
  r->ipc.flags = 0;
  switch_direct(cpu, cur, r);
}

[[gnu::always_inline]] inline void fastpath_reply_recv(syscall::SyscallFrame* f) {
  x86::PerCpu& cpu = x86::this_cpu();
  Thread* cur = cpu.current;
  if (cur->tcb == nullptr || f->r13 != 0 || !register_message(f->rsi)) return;
  const object::Capability* ep_cap = cap_at(cur, f->rdi, ObjectType::Endpoint, mu::kRightRead);
  const object::Capability* reply_cap = cap_at(cur, f->r12, ObjectType::Reply, 0);
  if (ep_cap == nullptr || reply_cap == nullptr) return;
  auto* ep = object_at<Endpoint>(ep_cap->object);
  auto* reply = object_at<ReplyObject>(reply_cap->object);
  Thread* c = reply->caller;
  // Nothing to receive at once (no sender, no pending bound notification), a plain caller that
  // can run now and has no timeout to cancel.
  if (ep->state == EndpointState::Send || c == nullptr || (c->ipc.flags & kIpcFault) != 0 ||
      c->priority() > cur->priority() || c->wake_ns != 0 || c->tcb == nullptr)
    return;
  if (reply->waiter != nullptr && reply->waiter != cur) return;
  if (cur->ipc.bound != nullptr && cur->ipc.bound->word != 0) return;
  reply->caller = nullptr;
  c->ipc.waiting = IpcWait::None;
  c->ipc.object = nullptr;
  c->ipc.flags = 0;
  copy_registers(f, c->user_frame(), 0);
  cur->ipc.waiting = IpcWait::Recv;
  cur->ipc.object = ep;
  cur->ipc.flags = ep_cap->rights.can_grant() ? kIpcGrant : 0;
  cur->ipc.reply = reply;
  reply->waiter = cur;
  ep->queue.push(cur);
  ep->state = EndpointState::Recv;
  switch_direct(cpu, cur, c);
}

}  // namespace
}  // namespace kernel::ipc

// syscall_entry.S compares rax with these numbers.
static_assert(static_cast<uint64_t>(mu::Sys::Call) == 34);
static_assert(static_cast<uint64_t>(mu::Sys::ReplyRecv) == 36);
static_assert(static_cast<uint64_t>(mu::Sys::Signal) == 37);

extern "C" void ipc_fastpath_call(kernel::syscall::SyscallFrame* frame) {
  kernel::ipc::fastpath_call(frame);
}
extern "C" void ipc_fastpath_reply_recv(kernel::syscall::SyscallFrame* frame) {
  kernel::ipc::fastpath_reply_recv(frame);
}
extern "C" void ipc_fastpath_signal(kernel::syscall::SyscallFrame* frame) {
  kernel::ipc::fastpath_signal(frame);
}
