// Tests for the scheduler's ready queues and time-slice accounting.
#include "sched/run_queue.h"
#include "sched/time_slice.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <memory>
#include <random>
#include <vector>

namespace kernel::sched {
namespace {

// Stands in for the kernel's Thread, which derives from Schedulable the same way.
struct FakeThread : Schedulable {
  FakeThread(int thread_id, Priority p) : Schedulable(p), id(thread_id) {}
  int id;
};

int id_of(Schedulable* s) { return s == nullptr ? -1 : static_cast<FakeThread*>(s)->id; }

std::vector<int> drain(RunQueue& q) {
  std::vector<int> order;
  while (Schedulable* s = q.dequeue_highest()) order.push_back(id_of(s));
  return order;
}

TEST(RunQueue, EmptyQueue) {
  RunQueue q;
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.count(), 0u);
  EXPECT_EQ(q.peek_highest(), nullptr);
  EXPECT_EQ(q.dequeue_highest(), nullptr);
  for (unsigned p = 0; p < kPriorityCount; ++p) EXPECT_FALSE(q.has_ready(static_cast<Priority>(p)));
}

TEST(RunQueue, HighestPriorityFirst) {
  RunQueue q;
  FakeThread a(1, 200), b(2, 0), c(3, 17), d(4, 255), e(5, 64);
  for (FakeThread* t : {&a, &b, &c, &d, &e}) ASSERT_EQ(q.enqueue_tail(*t), RunQueueStatus::Ok);
  EXPECT_EQ(q.count(), 5u);
  EXPECT_EQ(q.highest_priority(), 0);
  EXPECT_EQ(id_of(q.peek_highest()), 2);
  EXPECT_EQ(q.count(), 5u);  // peek does not remove
  EXPECT_EQ(drain(q), (std::vector<int>{2, 3, 5, 1, 4}));
  EXPECT_TRUE(q.empty());
  EXPECT_FALSE(a.queued());
}

TEST(RunQueue, RoundRobinWithinPriority) {
  RunQueue q;
  FakeThread a(1, 10), b(2, 10), c(3, 10);
  ASSERT_EQ(q.enqueue_tail(a), RunQueueStatus::Ok);
  ASSERT_EQ(q.enqueue_tail(b), RunQueueStatus::Ok);
  ASSERT_EQ(q.enqueue_tail(c), RunQueueStatus::Ok);
  // Each runs its slice and goes back to the tail: A B C A B C.
  std::vector<int> order;
  for (int i = 0; i < 6; ++i) {
    Schedulable* s = q.dequeue_highest();
    order.push_back(id_of(s));
    ASSERT_EQ(q.enqueue_tail(*s), RunQueueStatus::Ok);
  }
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3, 1, 2, 3}));
  EXPECT_EQ(q.count_at(10), 3u);
}

TEST(RunQueue, PreemptedThreadGoesToHead) {
  RunQueue q;
  FakeThread a(1, 10), b(2, 10), preempted(3, 10), other(4, 11);
  ASSERT_EQ(q.enqueue_tail(a), RunQueueStatus::Ok);
  ASSERT_EQ(q.enqueue_tail(b), RunQueueStatus::Ok);
  ASSERT_EQ(q.enqueue_tail(other), RunQueueStatus::Ok);
  ASSERT_EQ(q.enqueue_head(preempted), RunQueueStatus::Ok);
  EXPECT_EQ(drain(q), (std::vector<int>{3, 1, 2, 4}));
  // Head insert into an empty priority works too.
  ASSERT_EQ(q.enqueue_head(a), RunQueueStatus::Ok);
  EXPECT_EQ(q.count_at(10), 1u);
  EXPECT_EQ(drain(q), (std::vector<int>{1}));
}

TEST(RunQueue, RemoveFromMiddleHeadAndTail) {
  RunQueue q;
  FakeThread t[5] = {{0, 7}, {1, 7}, {2, 7}, {3, 7}, {4, 7}};
  for (FakeThread& x : t) ASSERT_EQ(q.enqueue_tail(x), RunQueueStatus::Ok);
  EXPECT_EQ(q.remove(t[2]), RunQueueStatus::Ok);  // middle
  EXPECT_EQ(q.remove(t[0]), RunQueueStatus::Ok);  // head
  EXPECT_EQ(q.remove(t[4]), RunQueueStatus::Ok);  // tail
  EXPECT_FALSE(t[2].queued());
  EXPECT_EQ(q.count(), 2u);
  EXPECT_TRUE(q.has_ready(7));
  // The list stays consistent in both directions: append after removing the tail.
  ASSERT_EQ(q.enqueue_tail(t[4]), RunQueueStatus::Ok);
  ASSERT_EQ(q.enqueue_head(t[0]), RunQueueStatus::Ok);
  EXPECT_EQ(drain(q), (std::vector<int>{0, 1, 3, 4}));
  EXPECT_FALSE(q.has_ready(7));
}

TEST(RunQueue, RemovingLastNodeClearsBitmap) {
  RunQueue q;
  FakeThread a(1, 3), b(2, 200);
  ASSERT_EQ(q.enqueue_tail(a), RunQueueStatus::Ok);
  ASSERT_EQ(q.enqueue_tail(b), RunQueueStatus::Ok);
  ASSERT_EQ(q.remove(a), RunQueueStatus::Ok);
  EXPECT_FALSE(q.has_ready(3));
  EXPECT_EQ(q.highest_priority(), 200);
  EXPECT_EQ(id_of(q.dequeue_highest()), 2);
}

TEST(RunQueue, BitmapCorrectAcrossAllPriorities) {
  RunQueue q;
  std::vector<std::unique_ptr<FakeThread>> threads;
  // Alone at each priority: found, including 0, 63, 64, 127, 128, 191, 192 and 255.
  for (unsigned p = 0; p < kPriorityCount; ++p) {
    FakeThread t(static_cast<int>(p), static_cast<Priority>(p));
    ASSERT_EQ(q.enqueue_tail(t), RunQueueStatus::Ok);
    ASSERT_TRUE(q.has_ready(static_cast<Priority>(p)));
    ASSERT_EQ(q.highest_priority(), p);
    ASSERT_EQ(q.dequeue_highest(), &t);
    ASSERT_FALSE(q.has_ready(static_cast<Priority>(p)));
  }
  // All at once, enqueued lowest priority first: dequeued in priority order, and the bitmap
  // tracks exactly the priorities still queued.
  for (int p = kPriorityCount - 1; p >= 0; --p) {
    threads.push_back(std::make_unique<FakeThread>(p, static_cast<Priority>(p)));
    ASSERT_EQ(q.enqueue_tail(*threads.back()), RunQueueStatus::Ok);
  }
  for (unsigned p = 0; p < kPriorityCount; ++p) {
    for (unsigned r = 0; r < kPriorityCount; ++r) {
      ASSERT_EQ(q.has_ready(static_cast<Priority>(r)), r >= p) << "p=" << p << " r=" << r;
    }
    ASSERT_EQ(id_of(q.dequeue_highest()), static_cast<int>(p));
  }
  EXPECT_TRUE(q.empty());
}

TEST(RunQueue, MisuseIsReported) {
  RunQueue q, other;
  FakeThread a(1, 5), b(2, 5);
  ASSERT_EQ(q.enqueue_tail(a), RunQueueStatus::Ok);
  EXPECT_EQ(q.enqueue_tail(a), RunQueueStatus::AlreadyQueued);
  EXPECT_EQ(q.enqueue_head(a), RunQueueStatus::AlreadyQueued);
  EXPECT_EQ(other.enqueue_tail(a), RunQueueStatus::AlreadyQueued);
  EXPECT_EQ(q.remove(b), RunQueueStatus::NotQueued);
  EXPECT_EQ(other.remove(a), RunQueueStatus::NotQueued);
  EXPECT_FALSE(a.set_priority(9));
  EXPECT_EQ(a.priority(), 5);
  EXPECT_EQ(q.count(), 1u);
  EXPECT_EQ(other.count(), 0u);
  EXPECT_TRUE(b.set_priority(9));
  EXPECT_EQ(b.priority(), 9);
}

TEST(RunQueue, RequeueMovesToTailOfNewPriority) {
  RunQueue q;
  FakeThread a(1, 50), b(2, 20), c(3, 50);
  ASSERT_EQ(q.enqueue_tail(a), RunQueueStatus::Ok);
  ASSERT_EQ(q.enqueue_tail(b), RunQueueStatus::Ok);
  ASSERT_EQ(q.enqueue_tail(c), RunQueueStatus::Ok);
  ASSERT_EQ(q.requeue(a, 20), RunQueueStatus::Ok);
  EXPECT_EQ(a.priority(), 20);
  EXPECT_EQ(q.count(), 3u);
  EXPECT_EQ(q.count_at(50), 1u);
  FakeThread loose(4, 1);
  EXPECT_EQ(q.requeue(loose, 0), RunQueueStatus::NotQueued);
  EXPECT_EQ(loose.priority(), 1);
  EXPECT_EQ(drain(q), (std::vector<int>{2, 1, 3}));
}

TEST(RunQueue, RandomOperationsMatchReferenceModel) {
  RunQueue q;
  std::vector<std::unique_ptr<FakeThread>> threads;
  std::vector<std::deque<int>> model(kPriorityCount);
  std::mt19937 rng(4242);
  for (int i = 0; i < 200; ++i) {
    // Priorities clustered in pairs across all four bitmap words.
    auto p = static_cast<Priority>(rng() % 8 * 32 + rng() % 2);
    threads.push_back(std::make_unique<FakeThread>(i, p));
  }
  for (int step = 0; step < 20000; ++step) {
    FakeThread& t = *threads[rng() % threads.size()];
    auto& list = model[t.priority()];
    switch (rng() % 4) {
      case 0:
        if (!t.queued()) {
          ASSERT_EQ(q.enqueue_tail(t), RunQueueStatus::Ok);
          list.push_back(t.id);
        }
        break;
      case 1:
        if (!t.queued()) {
          ASSERT_EQ(q.enqueue_head(t), RunQueueStatus::Ok);
          list.push_front(t.id);
        }
        break;
      case 2:
        if (t.queued()) {
          ASSERT_EQ(q.remove(t), RunQueueStatus::Ok);
          list.erase(std::find(list.begin(), list.end(), t.id));
        }
        break;
      default: {
        Schedulable* s = q.dequeue_highest();
        int expected = -1;
        for (auto& l : model) {
          if (!l.empty()) {
            expected = l.front();
            l.pop_front();
            break;
          }
        }
        ASSERT_EQ(id_of(s), expected);
      }
    }
  }
  for (unsigned p = 0; p < kPriorityCount; ++p) {
    ASSERT_EQ(q.count_at(static_cast<Priority>(p)), model[p].size());
    ASSERT_EQ(q.has_ready(static_cast<Priority>(p)), !model[p].empty());
  }
}

TEST(RunQueue, ShouldPreemptOnlyForStrictlyHigherPriority) {
  EXPECT_TRUE(should_preempt(10, 5));
  EXPECT_TRUE(should_preempt(255, 0));
  EXPECT_TRUE(should_preempt(1, 0));
  EXPECT_FALSE(should_preempt(5, 5));  // equal: waits for the slice to end
  EXPECT_FALSE(should_preempt(5, 10));
  EXPECT_FALSE(should_preempt(0, 255));
  EXPECT_FALSE(should_preempt(0, 0));
}

TEST(TimeSlice, ConsumeExpireRefill) {
  TimeSlice slice(1000);
  EXPECT_EQ(slice.remaining_ns(), 1000u);
  EXPECT_FALSE(slice.consume(400));
  EXPECT_EQ(slice.remaining_ns(), 600u);
  EXPECT_FALSE(slice.expired());
  EXPECT_TRUE(slice.consume(600));  // exactly used up
  EXPECT_TRUE(slice.expired());
  EXPECT_TRUE(slice.consume(50));  // saturates, stays expired
  EXPECT_EQ(slice.remaining_ns(), 0u);
  slice.refill();
  EXPECT_EQ(slice.remaining_ns(), 1000u);
  slice.set_quantum(300);
  EXPECT_EQ(slice.remaining_ns(), 1000u);  // new quantum applies at the next refill
  EXPECT_TRUE(slice.consume(5000));
  slice.refill();
  EXPECT_EQ(slice.remaining_ns(), 300u);
}

TEST(TimeSlice, ZeroQuantumStillExpires) {
  TimeSlice slice(0);
  EXPECT_EQ(slice.quantum_ns(), 1u);
  EXPECT_TRUE(slice.consume(1));
  slice.set_quantum(0);
  slice.refill();
  EXPECT_EQ(slice.remaining_ns(), 1u);
  EXPECT_EQ(TimeSlice().quantum_ns(), kDefaultTimeSliceNs);
}

}  // namespace
}  // namespace kernel::sched
