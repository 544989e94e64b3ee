// The memory layout of the IPC objects (in retyped, zeroed memory: all-zero is a valid empty
// object) and the intrusive wait queue they share. Threads link through IpcState.
#pragma once

#include <stdint.h>

#include "mm/memory.h"
#include "object/capability.h"
#include "object/kernel_objects.h"
#include "sched/thread.h"

namespace kernel::ipc {

// A FIFO of threads linked through IpcState::queue_next/queue_prev.
struct WaitQueue {
  sched::Thread* head;
  sched::Thread* tail;

  [[nodiscard]] bool empty() const { return head == nullptr; }
  // Always inlined: they are a handful of stores, and the IPC fast path uses them.
  [[gnu::always_inline]] void push(sched::Thread* t) {
    t->ipc.queue_next = nullptr;
    t->ipc.queue_prev = tail;
    if (tail != nullptr) {
      tail->ipc.queue_next = t;
    } else {
      head = t;
    }
    tail = t;
  }
  [[gnu::always_inline]] void remove(sched::Thread* t) {
    if (t->ipc.queue_prev != nullptr) {
      t->ipc.queue_prev->ipc.queue_next = t->ipc.queue_next;
    } else {
      head = t->ipc.queue_next;
    }
    if (t->ipc.queue_next != nullptr) {
      t->ipc.queue_next->ipc.queue_prev = t->ipc.queue_prev;
    } else {
      tail = t->ipc.queue_prev;
    }
    t->ipc.queue_next = t->ipc.queue_prev = nullptr;
  }
  [[gnu::always_inline]] sched::Thread* pop() {
    sched::Thread* t = head;
    if (t != nullptr) remove(t);
    return t;
  }
};

// What an endpoint's queue holds: all senders or all receivers (never both: a sender meeting a
// waiting receiver completes at once).
enum class EndpointState : uint64_t { Idle = 0, Send = 1, Recv = 2 };

struct Endpoint {
  WaitQueue queue;
  EndpointState state;
  uint64_t reserved;
};
static_assert(sizeof(Endpoint) == (uint64_t{1} << object::kEndpointBits));

struct Notification {
  uint64_t word;         // ORed badges not yet taken
  WaitQueue queue;       // NtfnWait waiters (only when word == 0)
  sched::Thread* bound;  // TcbBindNotification's thread, or nullptr
  uint64_t reserved[4];
};
static_assert(sizeof(Notification) == (uint64_t{1} << object::kNotificationBits));

// ReplyObject::flags
inline constexpr uint64_t kReplyCanGrant = 1;  // the reply may carry a capability

struct ReplyObject {
  sched::Thread* caller;  // the caller bound by a Call, waiting for the reply (one-shot)
  sched::Thread* waiter;  // the receiver blocked in Recv that named this object
  uint64_t flags;         // kReplyCanGrant: the receiver's endpoint cap had the grant right
  uint64_t reserved;
};
static_assert(sizeof(ReplyObject) == (uint64_t{1} << object::kReplyBits));

// The kernel view of an object (the direct map, as object::kernel_memory() maps it; inline
// because the IPC fast path uses it on every call).
template <class T>
[[nodiscard]] inline T* object_at(uint64_t phys) {
  return static_cast<T*>(mm::phys_to_virt(phys));
}

}  // namespace kernel::ipc
