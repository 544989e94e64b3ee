// Notifications: signal, wait, poll, and binding to a TCB (ipc.h).
#include "ipc/internal.h"
#include "ipc/ipc.h"
#include "object/cap_ops.h"
#include "sched/scheduler.h"

namespace kernel::ipc {
namespace {

using sched::Thread;

// A notification bound to a thread delivers only to that thread.
bool usable_by(const Notification* n, const Thread* t) {
  return n->bound == nullptr || n->bound == t;
}

object::SlotRef tcb_slot(object::TcbObject* tcb, unsigned index) {
  return object::SlotRef{object::CNode(tcb->slots, object::kTcbSlotRadix), index};
}

}  // namespace

void signal(Notification* n, uint64_t badge) {
  const uint64_t word = n->word | (badge != 0 ? badge : 1);
  if (!n->queue.empty()) {
    Thread* t = n->queue.pop();
    t->ipc.waiting = IpcWait::None;
    t->ipc.object = nullptr;
    n->word = 0;
    x86::InterruptFrame* f = t->user_frame();
    f->rax = 0;
    f->rdi = word;
    sched::make_ready(t);
    return;
  }
  Thread* b = n->bound;
  if (b != nullptr && b->ipc.waiting == IpcWait::Recv) {
    leave_wait(b);
    b->ipc.flags = 0;
    n->word = 0;
    x86::InterruptFrame* f = b->user_frame();
    f->rax = 0;
    f->rdi = word;
    f->rsi = mu::kTagFromNotification;
    sched::make_ready(b);
    return;
  }
  n->word = word;
}

void signal_notification(uint64_t phys, uint64_t badge) {
  signal(object_at<Notification>(phys), badge);
}

int64_t ntfn_wait(Notification* n, uint64_t timeout_ns) {
  Thread* cur = sched::current();
  if (!usable_by(n, cur)) return mu::status_value(mu::Status::IllegalOperation);
  if (n->word != 0) {
    cur->user_frame()->rdi = n->word;
    n->word = 0;
    return 0;
  }
  cur->ipc.waiting = IpcWait::Notification;
  cur->ipc.object = n;
  cur->ipc.flags = 0;
  n->queue.push(cur);
  return block_for_partner(cur, timeout_ns);
}

int64_t ntfn_poll(Notification* n) {
  Thread* cur = sched::current();
  if (!usable_by(n, cur)) return mu::status_value(mu::Status::IllegalOperation);
  cur->user_frame()->rdi = n->word;
  n->word = 0;
  return 0;
}

mu::Status bind_notification(object::TcbObject* tcb, const object::SlotRef& ntfn) {
  Thread* t = &tcb->thread;
  const object::Slot* src = ntfn.cnode.slot(ntfn.index);
  auto* n = object_at<Notification>(src->cap.object);
  if (t->ipc.bound != nullptr || !tcb->slots[object::kTcbSlotNotification].empty())
    return mu::Status::Busy;
  if (n->bound != nullptr || !n->queue.empty()) return mu::Status::Busy;
  const mu::CapStatus s =
      object::cap_copy(ntfn, tcb_slot(tcb, object::kTcbSlotNotification), mu::kRightsAll);
  if (s != mu::CapStatus::Ok) return mu::status_from(s);
  n->bound = t;
  t->ipc.bound = n;
  return mu::Status::Ok;
}

mu::Status unbind_notification(object::TcbObject* tcb) {
  Thread* t = &tcb->thread;
  if (t->ipc.bound == nullptr) return mu::Status::IllegalOperation;
  t->ipc.bound->bound = nullptr;
  t->ipc.bound = nullptr;
  if (!tcb->slots[object::kTcbSlotNotification].empty())
    (void)object::cap_delete(object::kernel_context(), tcb_slot(tcb, object::kTcbSlotNotification));
  return mu::Status::Ok;
}

}  // namespace kernel::ipc
