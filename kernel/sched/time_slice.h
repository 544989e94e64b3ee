// Per-thread time-slice accounting in nanoseconds, kept apart from the run queues.
#pragma once

#include <stdint.h>

namespace kernel::sched {

// Default round-robin quantum; the scheduler may configure another one (issue 3 item 6).
inline constexpr uint64_t kDefaultTimeSliceNs = 10'000'000;  // 10 ms

// How much of its quantum a thread has left. The scheduler charges the time a thread ran when it
// stops running (timer interrupt, block, preemption) and arms the one-shot deadline timer with
// remaining_ns() when it starts running. Not thread-safe: owned by the thread, changed by the
// CPU running it under the scheduler lock.
class TimeSlice {
 public:
  constexpr TimeSlice() = default;
  // A quantum of 0 is raised to 1 ns so that a slice can always expire and never means "forever".
  constexpr explicit TimeSlice(uint64_t quantum_ns)
      : quantum_ns_(quantum_ns == 0 ? 1 : quantum_ns), remaining_ns_(quantum_ns_) {}

  // Charges `elapsed_ns` of run time; saturates at zero. Returns true if the slice is used up,
  // i.e. the thread goes to the tail of its priority after refill().
  constexpr bool consume(uint64_t elapsed_ns) {
    remaining_ns_ = elapsed_ns >= remaining_ns_ ? 0 : remaining_ns_ - elapsed_ns;
    return remaining_ns_ == 0;
  }

  // Starts a fresh quantum (after expiry, or when the quantum is reconfigured).
  constexpr void refill() { remaining_ns_ = quantum_ns_; }
  // Sets a new quantum (0 raised to 1 ns as above); takes effect at the next refill().
  constexpr void set_quantum(uint64_t quantum_ns) {
    quantum_ns_ = quantum_ns == 0 ? 1 : quantum_ns;
  }

  [[nodiscard]] constexpr uint64_t remaining_ns() const { return remaining_ns_; }
  [[nodiscard]] constexpr uint64_t quantum_ns() const { return quantum_ns_; }
  [[nodiscard]] constexpr bool expired() const { return remaining_ns_ == 0; }

 private:
  uint64_t quantum_ns_ = kDefaultTimeSliceNs;
  uint64_t remaining_ns_ = kDefaultTimeSliceNs;
};

}  // namespace kernel::sched
