// Teardown (destroy hooks, cancel, timeouts) and fault delivery (ipc.h).
#include "ipc/ipc.h"

#include "ipc/internal.h"
#include "sched/scheduler.h"

namespace kernel::ipc {

using sched::Thread;

void endpoint_destroyed(uint64_t phys) {
  auto* ep = object_at<Endpoint>(phys);
  while (!ep->queue.empty()) {
    Thread* t = ep->queue.head;
    leave_wait(t);
    fail_caller(t, mu::Status::Cancelled, /*preempt=*/false);
  }
  ep->state = EndpointState::Idle;
}

void notification_destroyed(uint64_t phys) {
  auto* n = object_at<Notification>(phys);
  while (!n->queue.empty()) {
    Thread* t = n->queue.head;
    leave_wait(t);
    fail_caller(t, mu::Status::Cancelled, /*preempt=*/false);
  }
  if (n->bound != nullptr) {
    n->bound->ipc.bound = nullptr;
    n->bound = nullptr;
  }
}

void reply_destroyed(uint64_t phys) {
  auto* reply = object_at<ReplyObject>(phys);
  if (reply->waiter != nullptr) reply->waiter->ipc.reply = nullptr;
  reply->waiter = nullptr;
  if (Thread* c = reply->caller; c != nullptr) {
    leave_wait(c);
    fail_caller(c, mu::Status::Cancelled, /*preempt=*/false);
  }
}

void cancel_ipc(Thread* thread) {
  object::TcbObject* tcb = object::tcb_of(thread);
  // TCB destroy empties the TCB's slots first: a binding whose cap is gone ends here.
  if (tcb != nullptr && thread->ipc.bound != nullptr &&
      tcb->slots[object::kTcbSlotNotification].empty()) {
    thread->ipc.bound->bound = nullptr;
    thread->ipc.bound = nullptr;
  }
  if (thread->ipc.waiting == IpcWait::None && thread->ipc.reply == nullptr) return;
  const bool fault = (thread->ipc.flags & kIpcFault) != 0;
  leave_wait(thread);
  thread->ipc.flags = 0;
  sched::cancel_timeout(thread);
  if (!fault) set_status(thread, mu::Status::Cancelled);
}

void timeout_expired(Thread* thread) {
  leave_wait(thread);
  thread->ipc.flags = 0;
  set_status(thread, mu::Status::Timeout);
}

bool deliver_fault(Thread* thread, uint64_t label, uint64_t word0, uint64_t word1, uint64_t word2) {
  object::TcbObject* tcb = object::tcb_of(thread);
  if (tcb == nullptr) return false;
  const object::Capability& cap = tcb->slots[object::kTcbSlotFaultEp].cap;
  if (cap.type != object::ObjectType::Endpoint) return false;
  thread->ipc.fault_label = label;
  thread->ipc.fault_words[0] = word0;
  thread->ipc.fault_words[1] = word1;
  thread->ipc.fault_words[2] = word2;
  const int64_t r = send_message(object_at<Endpoint>(cap.object), cap.badge(), kIpcCall | kIpcFault,
                                 /*blocking=*/true, /*timeout_ns=*/0);
  thread->ipc.flags = 0;
  // Not delivered (the receiver named no reply object): stopped like a refused fault. Either
  // way the thread only gets here again when it may run: after the reply or a TcbResume.
  if (r != kBlocked) {
    thread->state = sched::ThreadState::Inactive;
    sched::stop_current();
  }
  return true;
}

}  // namespace kernel::ipc
