// Endpoints and reply objects: send, receive, call and reply (ipc.h).
#include "ipc/internal.h"
#include "ipc/ipc.h"
#include "sched/scheduler.h"
#include "time/clock.h"

namespace kernel::ipc {
namespace {

using sched::Thread;

Thread* dequeue(Endpoint* ep) {
  Thread* t = ep->queue.pop();
  if (ep->queue.empty()) ep->state = EndpointState::Idle;
  t->ipc.waiting = IpcWait::None;
  t->ipc.object = nullptr;
  return t;
}

// A receiver named a reply object still bound to an earlier caller: that call is abandoned.
void abandon_caller(ReplyObject* reply) {
  Thread* old = reply->caller;
  reply->caller = nullptr;
  old->ipc.waiting = IpcWait::None;
  old->ipc.object = nullptr;
  fail_caller(old, mu::Status::Cancelled, /*preempt=*/true);
}

}  // namespace

int64_t block_for_partner(Thread* cur, uint64_t timeout_ns) {
  if (timeout_ns == 0) {
    sched::block();
  } else {
    (void)sched::block_until(time::monotonic_ns() + timeout_ns);
  }
  return static_cast<int64_t>(cur->user_frame()->rax);
}

void bind_caller(ReplyObject* reply, Thread* caller, bool can_grant) {
  reply->caller = caller;
  reply->flags = can_grant ? kReplyCanGrant : 0;
  caller->ipc.waiting = IpcWait::Reply;
  caller->ipc.object = reply;
}

void fail_caller(Thread* caller, mu::Status status, bool preempt) {
  if ((caller->ipc.flags & kIpcFault) != 0) {
    caller->ipc.flags = 0;
    sched::cancel_timeout(caller);
    caller->state = sched::ThreadState::Inactive;  // as TcbSuspend leaves it
    return;
  }
  caller->ipc.flags = 0;
  set_status(caller, status);
  if (preempt) {
    sched::make_ready(caller);
  } else {
    sched::make_ready_no_preempt(caller);
  }
}

void leave_wait(Thread* t) {
  switch (t->ipc.waiting) {
    case IpcWait::Send:
    case IpcWait::Recv: {
      auto* ep = static_cast<Endpoint*>(t->ipc.object);
      ep->queue.remove(t);
      if (ep->queue.empty()) ep->state = EndpointState::Idle;
      break;
    }
    case IpcWait::Notification: static_cast<Notification*>(t->ipc.object)->queue.remove(t); break;
    case IpcWait::Reply: static_cast<ReplyObject*>(t->ipc.object)->caller = nullptr; break;
    case IpcWait::None: break;
  }
  if (t->ipc.reply != nullptr) {
    t->ipc.reply->waiter = nullptr;
    t->ipc.reply = nullptr;
  }
  t->ipc.waiting = IpcWait::None;
  t->ipc.object = nullptr;
}

int64_t send_message(Endpoint* ep, uint64_t badge, uint64_t flags, bool blocking,
                     uint64_t timeout_ns) {
  Thread* cur = sched::current();
  cur->ipc.flags = flags;
  if (ep->state == EndpointState::Recv) {
    Thread* r = dequeue(ep);
    ReplyObject* reply = r->ipc.reply;
    r->ipc.reply = nullptr;
    if (reply != nullptr) reply->waiter = nullptr;
    deliver_message(cur, r, badge, (flags & kIpcGrant) != 0);
    const bool r_grant = (r->ipc.flags & kIpcGrant) != 0;
    r->ipc.flags = 0;
    if ((flags & kIpcCall) == 0) {
      cur->ipc.flags = 0;
      sched::make_ready(r);
      return 0;
    }
    if (reply == nullptr) {  // the receiver cannot reply: the call ends here
      cur->ipc.flags &= kIpcFault;
      sched::make_ready(r);
      return mu::status_value(mu::Status::Cancelled);
    }
    bind_caller(reply, cur, r_grant);
    sched::make_ready_no_preempt(r);
    (void)block_for_partner(cur, timeout_ns);
    return kBlocked;
  }
  if (!blocking) {
    cur->ipc.flags = 0;
    return mu::status_value(mu::Status::WouldBlock);
  }
  cur->ipc.waiting = IpcWait::Send;
  cur->ipc.object = ep;
  cur->ipc.badge = badge;
  ep->queue.push(cur);
  ep->state = EndpointState::Send;
  (void)block_for_partner(cur, timeout_ns);
  return kBlocked;
}

int64_t send(Endpoint* ep, uint64_t badge, uint64_t flags, bool blocking, uint64_t timeout_ns) {
  const int64_t r = send_message(ep, badge, flags & (kIpcCall | kIpcGrant), blocking, timeout_ns);
  return r == kBlocked ? static_cast<int64_t>(sched::current()->user_frame()->rax) : r;
}

bool reply_usable(const ReplyObject* reply) {
  return reply == nullptr || reply->waiter == nullptr || reply->waiter == sched::current();
}

int64_t recv(Endpoint* ep, ReplyObject* reply, bool grant, bool blocking, uint64_t timeout_ns) {
  Thread* cur = sched::current();
  cur->ipc.flags = 0;
  if (reply != nullptr && reply->caller != nullptr) abandon_caller(reply);
  Notification* bound = cur->ipc.bound;
  if (bound != nullptr && bound->word != 0) {
    x86::InterruptFrame* f = cur->user_frame();
    f->rdi = bound->word;
    f->rsi = mu::kTagFromNotification;
    bound->word = 0;
    return 0;
  }
  if (ep->state == EndpointState::Send) {
    Thread* s = dequeue(ep);
    deliver_message(s, cur, s->ipc.badge, (s->ipc.flags & kIpcGrant) != 0);
    if ((s->ipc.flags & kIpcCall) == 0) {
      s->ipc.flags = 0;
      set_status(s, mu::Status::Ok);
      sched::make_ready(s);
    } else if (reply != nullptr) {
      bind_caller(reply, s, grant);
    } else {
      fail_caller(s, mu::Status::Cancelled, /*preempt=*/true);
    }
    return 0;
  }
  if (!blocking) return mu::status_value(mu::Status::WouldBlock);
  cur->ipc.waiting = IpcWait::Recv;
  cur->ipc.object = ep;
  cur->ipc.flags = grant ? kIpcGrant : 0;
  cur->ipc.reply = reply;
  if (reply != nullptr) reply->waiter = cur;
  ep->queue.push(cur);
  ep->state = EndpointState::Recv;
  return block_for_partner(cur, timeout_ns);
}

bool has_caller(const ReplyObject* reply) { return reply->caller != nullptr; }

int64_t reply(ReplyObject* reply) {
  Thread* c = reply->caller;
  if (c == nullptr) return mu::status_value(mu::Status::NoCaller);
  Thread* cur = sched::current();
  reply->caller = nullptr;
  c->ipc.waiting = IpcWait::None;
  c->ipc.object = nullptr;
  if ((c->ipc.flags & kIpcFault) != 0) {
    // A fault handler's answer: label 0 resumes the thread, anything else leaves it stopped.
    if (mu::MessageTag{cur->user_frame()->rsi}.label() == 0) {
      c->ipc.flags = 0;
      sched::make_ready(c);
    } else {
      fail_caller(c, mu::Status::Cancelled, /*preempt=*/true);
    }
    return 0;
  }
  cur->ipc.flags = 0;
  deliver_message(cur, c, 0, (reply->flags & kReplyCanGrant) != 0);
  c->ipc.flags = 0;
  sched::make_ready(c);
  return 0;
}

}  // namespace kernel::ipc
