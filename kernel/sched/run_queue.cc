// Ready queues for one CPU: list and bitmap maintenance.
#include "sched/run_queue.h"

namespace kernel::sched {

bool Schedulable::set_priority(Priority priority) {
  if (queued()) return false;
  priority_ = priority;
  return true;
}

void RunQueue::link(Schedulable& node, bool at_head) {
  Priority p = node.priority_;
  node.queue_ = this;
  if (head_[p] == nullptr) {
    node.next_ = node.prev_ = nullptr;
    head_[p] = tail_[p] = &node;
    set_bit(p);
  } else if (at_head) {
    node.prev_ = nullptr;
    node.next_ = head_[p];
    head_[p]->prev_ = &node;
    head_[p] = &node;
  } else {
    node.next_ = nullptr;
    node.prev_ = tail_[p];
    tail_[p]->next_ = &node;
    tail_[p] = &node;
  }
  ++count_;
}

RunQueueStatus RunQueue::enqueue_tail(Schedulable& node) {
  if (node.queued()) return RunQueueStatus::AlreadyQueued;
  link(node, false);
  return RunQueueStatus::Ok;
}

RunQueueStatus RunQueue::enqueue_head(Schedulable& node) {
  if (node.queued()) return RunQueueStatus::AlreadyQueued;
  link(node, true);
  return RunQueueStatus::Ok;
}

RunQueueStatus RunQueue::remove(Schedulable& node) {
  if (node.queue_ != this) return RunQueueStatus::NotQueued;
  Priority p = node.priority_;
  if (node.prev_ != nullptr) {
    node.prev_->next_ = node.next_;
  } else {
    head_[p] = node.next_;
  }
  if (node.next_ != nullptr) {
    node.next_->prev_ = node.prev_;
  } else {
    tail_[p] = node.prev_;
  }
  if (head_[p] == nullptr) clear_bit(p);
  node.next_ = node.prev_ = nullptr;
  node.queue_ = nullptr;
  --count_;
  return RunQueueStatus::Ok;
}

RunQueueStatus RunQueue::requeue(Schedulable& node, Priority priority) {
  if (node.queue_ != this) return RunQueueStatus::NotQueued;
  (void)remove(node);  // cannot fail: checked just above
  node.priority_ = priority;
  link(node, false);
  return RunQueueStatus::Ok;
}

Priority RunQueue::highest_priority() const {
  for (unsigned i = 0; i < kPriorityCount / 64; ++i) {
    if (ready_[i] != 0) {
      return static_cast<Priority>(i * 64 + static_cast<unsigned>(__builtin_ctzll(ready_[i])));
    }
  }
  return kPriorityCount - 1;  // empty: documented as meaningless
}

Schedulable* RunQueue::peek_highest() const {
  if (count_ == 0) return nullptr;
  return head_[highest_priority()];
}

Schedulable* RunQueue::dequeue_highest() {
  Schedulable* node = peek_highest();
  if (node != nullptr) (void)remove(*node);
  return node;
}

bool RunQueue::has_ready(Priority priority) const {
  return (ready_[priority / 64] >> (priority % 64)) & 1;
}

size_t RunQueue::count_at(Priority priority) const {
  size_t n = 0;
  for (const Schedulable* s = head_[priority]; s != nullptr; s = s->next_) ++n;
  return n;
}

}  // namespace kernel::sched
