// Scheduling decisions as pure functions, shared by the kernel scheduler and its host tests.
#pragma once

#include <stdint.h>

#include "sched/run_queue.h"

namespace kernel::sched {

inline constexpr uint64_t kNoDeadline = ~uint64_t{0};

// What to do with the running thread when the timer fires or the ready set changes.
enum class SchedDecision : uint8_t {
  Keep,           // keep running (nothing ready that may take the CPU)
  RotateToTail,   // slice used up and an equal or higher priority is ready: go to the tail
  PreemptToHead,  // a strictly higher priority is ready: go to the head, keep the rest of the slice
  LeaveIdle,      // the idle thread runs and something is ready
};

// `slice_expired`: the running thread's slice is used up (it is refilled either way).
[[nodiscard]] inline SchedDecision decide(bool running_is_idle, Priority running,
                                          bool slice_expired, const RunQueue& ready) {
  if (ready.empty()) return SchedDecision::Keep;
  if (running_is_idle) return SchedDecision::LeaveIdle;
  const Priority best = ready.highest_priority();
  // An expired slice goes to the tail even when a higher priority is the reason to stop.
  if (slice_expired && best <= running) return SchedDecision::RotateToTail;
  if (should_preempt(running, best)) return SchedDecision::PreemptToHead;
  return SchedDecision::Keep;
}

// When the one-shot timer must fire next: the running thread's slice end (not for idle) or the
// first sleeper's wake-up, whichever is earlier; kNoDeadline (timer off, tickless) if neither.
[[nodiscard]] constexpr uint64_t next_deadline(bool running_is_idle, uint64_t slice_end_ns,
                                               bool have_sleeper, uint64_t first_wake_ns) {
  uint64_t deadline = running_is_idle ? kNoDeadline : slice_end_ns;
  if (have_sleeper && first_wake_ns < deadline) deadline = first_wake_ns;
  return deadline;
}

}  // namespace kernel::sched
