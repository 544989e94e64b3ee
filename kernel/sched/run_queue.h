// Ready queues for one CPU: 256 priorities, intrusive FIFO lists, O(1) lookup of the highest.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace kernel::sched {

// 0 is the highest priority, 255 the lowest (NOTES.md §4, as in seL4).
using Priority = uint8_t;
inline constexpr unsigned kPriorityCount = 256;

class RunQueue;

// The scheduling state a thread carries. The real Thread derives from it, so the run queue links
// threads without allocating and recovers the Thread with a static_cast.
class Schedulable {
 public:
  Schedulable() = default;
  explicit Schedulable(Priority priority) : priority_(priority) {}
  Schedulable(const Schedulable&) = delete;
  Schedulable& operator=(const Schedulable&) = delete;

  [[nodiscard]] Priority priority() const { return priority_; }
  [[nodiscard]] bool queued() const { return queue_ != nullptr; }

  // Changes the priority. Precondition: not queued (RunQueue::requeue changes it while queued).
  // Returns false and changes nothing if queued.
  [[nodiscard]] bool set_priority(Priority priority);

 private:
  friend class RunQueue;
  Schedulable* next_ = nullptr;
  Schedulable* prev_ = nullptr;
  RunQueue* queue_ = nullptr;  // the queue holding this node, for misuse checks
  Priority priority_ = kPriorityCount - 1;
};

enum class RunQueueStatus : uint32_t {
  Ok = 0,
  AlreadyQueued,  // enqueue of a node that is in some queue
  NotQueued,      // remove of a node that is not in this queue
};

// Policy (POSIX.1-2017 XSH 2.8.4, SCHED_RR; seL4 behaves the same way):
//  - a thread that becomes ready (woken, created, yielded, or whose slice ran out and was refilled)
//    goes to the TAIL of its priority, so equal priorities take turns;
//  - a thread preempted by a higher priority before its slice ran out goes to the HEAD of its
//    priority and keeps the rest of its slice, so being preempted never costs it its turn.
// The scheduler picks dequeue_highest(); the running thread is not in the queue.
//
// Locking: none inside; the caller holds the lock protecting this CPU's queue (the big kernel
// lock for now). All operations are O(1) and never allocate.
class RunQueue {
 public:
  RunQueue() = default;
  RunQueue(const RunQueue&) = delete;
  RunQueue& operator=(const RunQueue&) = delete;

  // Appends `node` behind the others of its priority. Precondition: node not queued.
  [[nodiscard]] RunQueueStatus enqueue_tail(Schedulable& node);
  // Puts `node` in front of the others of its priority. Precondition: node not queued.
  [[nodiscard]] RunQueueStatus enqueue_head(Schedulable& node);
  // Removes `node` from wherever it is in this queue (a thread that blocks, is suspended, or
  // migrates). Precondition: node is queued here.
  [[nodiscard]] RunQueueStatus remove(Schedulable& node);
  // Changes the priority of a node in this queue; it goes to the tail of its new priority.
  [[nodiscard]] RunQueueStatus requeue(Schedulable& node, Priority priority);

  // The first node of the highest non-empty priority, removed from the queue; nullptr if empty.
  [[nodiscard]] Schedulable* dequeue_highest();
  // The same node without removing it; nullptr if empty.
  [[nodiscard]] Schedulable* peek_highest() const;

  [[nodiscard]] bool empty() const { return count_ == 0; }
  [[nodiscard]] size_t count() const { return count_; }
  // Highest non-empty priority; only meaningful when !empty().
  [[nodiscard]] Priority highest_priority() const;
  // True if some node of `priority` is queued (reads the bitmap, for checks and tests).
  [[nodiscard]] bool has_ready(Priority priority) const;
  // Nodes queued at `priority` (walks the list: diagnostics and tests only).
  [[nodiscard]] size_t count_at(Priority priority) const;

 private:
  void link(Schedulable& node, bool at_head);
  void set_bit(Priority p) { ready_[p / 64] |= uint64_t{1} << (p % 64); }
  void clear_bit(Priority p) { ready_[p / 64] &= ~(uint64_t{1} << (p % 64)); }

  Schedulable* head_[kPriorityCount] = {};
  Schedulable* tail_[kPriorityCount] = {};
  uint64_t ready_[kPriorityCount / 64] = {};  // bit p set <=> head_[p] != nullptr
  size_t count_ = 0;
};

// Whether a thread at `woken` that just became ready should take the CPU from the running thread
// at `current`: only a strictly higher priority preempts; equal priorities wait for the slice end.
[[nodiscard]] constexpr bool should_preempt(Priority current, Priority woken) {
  return woken < current;
}

}  // namespace kernel::sched
