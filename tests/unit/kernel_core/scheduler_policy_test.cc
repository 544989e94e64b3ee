// Scheduler ordering: the kernel's decision functions (sched/policy.h) driving the real run
// queue and time slices in a simulated CPU with a virtual clock.
#include "sched/policy.h"
#include "sched/run_queue.h"
#include "sched/time_slice.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kernel::sched {
namespace {

constexpr uint64_t kMs = 1000 * 1000;

struct SimThread : Schedulable {
  SimThread(char n, Priority p) : Schedulable(p), name(n), slice(10 * kMs) {}
  char name;
  TimeSlice slice;
};

// One CPU as kernel/sched/scheduler.cc runs it: a running thread (or idle), the ready queue, a
// slice start, and the one-shot timer armed from next_deadline().
class SimCpu {
 public:
  void make_ready(SimThread& t) {
    t.slice.refill();
    ASSERT_EQ(queue.enqueue_tail(t), RunQueueStatus::Ok);
    const SchedDecision d =
        decide(running == nullptr, running ? running->priority() : 255, false, queue);
    if (d == SchedDecision::LeaveIdle) switch_to_next();
    if (d == SchedDecision::PreemptToHead) {
      charge();
      ASSERT_EQ(queue.enqueue_head(*running), RunQueueStatus::Ok);
      switch_to_next();
    }
  }
  // The running thread blocks (sleeps, waits).
  void block() {
    charge();
    switch_to_next();
  }
  // Advances the clock to the armed deadline and runs the timer handler.
  void fire_timer() {
    const uint64_t deadline = armed();
    ASSERT_NE(deadline, kNoDeadline);
    now = deadline;
    const bool expired = running != nullptr && charge();
    if (expired) running->slice.refill();
    switch (decide(running == nullptr, running ? running->priority() : 255, expired, queue)) {
      case SchedDecision::Keep: return;
      case SchedDecision::LeaveIdle: break;
      case SchedDecision::RotateToTail:
        ASSERT_EQ(queue.enqueue_tail(*running), RunQueueStatus::Ok);
        break;
      case SchedDecision::PreemptToHead:
        ASSERT_EQ(queue.enqueue_head(*running), RunQueueStatus::Ok);
        break;
    }
    switch_to_next();
  }
  uint64_t armed() const {
    return next_deadline(running == nullptr,
                         running ? slice_start + running->slice.remaining_ns() : 0,
                         sleeper_wake != kNoDeadline, sleeper_wake);
  }
  char running_name() const { return running ? running->name : '.'; }

  RunQueue queue;
  SimThread* running = nullptr;  // nullptr: idle
  uint64_t now = 0;
  uint64_t slice_start = 0;
  uint64_t sleeper_wake = kNoDeadline;
  std::string trace;

 private:
  bool charge() {
    const bool expired = running->slice.consume(now - slice_start);
    slice_start = now;
    return expired;
  }
  void switch_to_next() {
    running = static_cast<SimThread*>(queue.dequeue_highest());
    slice_start = now;
    trace += running_name();
  }
};

TEST(SchedulerPolicy, EqualPrioritiesTakeTurnsEverySlice) {
  SimCpu cpu;
  SimThread a('A', 100), b('B', 100), c('C', 100);
  cpu.make_ready(a);
  cpu.make_ready(b);
  cpu.make_ready(c);
  for (int i = 0; i < 6; ++i) cpu.fire_timer();
  EXPECT_EQ(cpu.trace, "ABCABCA");
  EXPECT_EQ(cpu.now, 60 * kMs);  // one 10 ms slice each
}

TEST(SchedulerPolicy, LoneThreadKeepsTheCpuWhenItsSliceEnds) {
  SimCpu cpu;
  SimThread a('A', 100);
  cpu.make_ready(a);
  cpu.fire_timer();
  cpu.fire_timer();
  EXPECT_EQ(cpu.trace, "A");
  EXPECT_EQ(cpu.armed(), 30 * kMs);
}

TEST(SchedulerPolicy, LowerPriorityNeverRunsWhileHigherIsReady) {
  SimCpu cpu;
  SimThread hi('H', 10), lo('L', 200);
  cpu.make_ready(hi);
  cpu.make_ready(lo);
  for (int i = 0; i < 5; ++i) cpu.fire_timer();
  EXPECT_EQ(cpu.trace, "H");
  cpu.block();
  EXPECT_EQ(cpu.running_name(), 'L');
}

TEST(SchedulerPolicy, WakeupOfHigherPriorityPreemptsAtOnce) {
  SimCpu cpu;
  SimThread lo('L', 120), other('O', 120), hi('H', 50);
  cpu.make_ready(lo);
  cpu.make_ready(other);
  cpu.now = 3 * kMs;
  cpu.make_ready(hi);  // e.g. its sleep ended
  EXPECT_EQ(cpu.running_name(), 'H');
  cpu.now = 4 * kMs;
  cpu.block();
  // The preempted thread resumes first (head of its priority) with the 7 ms it had left.
  EXPECT_EQ(cpu.running_name(), 'L');
  EXPECT_EQ(cpu.armed(), 11 * kMs);
  cpu.fire_timer();
  EXPECT_EQ(cpu.running_name(), 'O');
  EXPECT_EQ(cpu.trace, "LHLO");
}

TEST(SchedulerPolicy, EqualPriorityWakeupWaitsForTheSliceEnd) {
  SimCpu cpu;
  SimThread a('A', 100), b('B', 100);
  cpu.make_ready(a);
  cpu.now = 2 * kMs;
  cpu.make_ready(b);
  EXPECT_EQ(cpu.running_name(), 'A');
  cpu.fire_timer();
  EXPECT_EQ(cpu.running_name(), 'B');
  EXPECT_EQ(cpu.now, 10 * kMs);
}

TEST(SchedulerPolicy, ExpiredSliceGoesToTheTailEvenWhenAHigherPriorityWaits) {
  RunQueue q;
  SimThread hi('H', 10);
  ASSERT_EQ(q.enqueue_tail(hi), RunQueueStatus::Ok);
  EXPECT_EQ(decide(false, 100, true, q), SchedDecision::RotateToTail);
  EXPECT_EQ(decide(false, 100, false, q), SchedDecision::PreemptToHead);
  EXPECT_EQ(decide(false, 5, true, q), SchedDecision::Keep);
  EXPECT_EQ(decide(true, 255, false, q), SchedDecision::LeaveIdle);
  RunQueue empty;
  EXPECT_EQ(decide(true, 255, false, empty), SchedDecision::Keep);
}

TEST(SchedulerPolicy, TicklessWhenOnlyIdleRuns) {
  EXPECT_EQ(next_deadline(true, 0, false, 0), kNoDeadline);
  EXPECT_EQ(next_deadline(true, 0, true, 50 * kMs), 50 * kMs);
  EXPECT_EQ(next_deadline(false, 10 * kMs, true, 50 * kMs), 10 * kMs);
  EXPECT_EQ(next_deadline(false, 10 * kMs, true, 4 * kMs), 4 * kMs);
  EXPECT_EQ(next_deadline(false, 10 * kMs, false, 4 * kMs), 10 * kMs);
}

}  // namespace
}  // namespace kernel::sched
