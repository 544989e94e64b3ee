// Per-thread I/O-port access through the TSS I/O permission bitmap (Intel SDM vol 1 §19.5.2).
// A thread whose TCB holds IoPort capabilities (slots kTcbSlotIoPort..kTcbSlotIoPortLast) may
// use IN/OUT/INS/OUTS on exactly those caps' ports; every other port raises #GP. IOPL stays 0 for
// every thread, so the bitmap is the only thing that grants ports.
//
// One bitmap serves the CPU: it holds the running thread's ranges open and nothing else. A switch
// compares the three ranges of the two threads and rewrites only the bytes of the ranges that
// change (nothing when both threads have the same ranges or none), so the usual switch costs
// three comparisons.
#pragma once

#include <stdint.h>

#include "sched/thread.h"

namespace kernel::x86 {

namespace io_bitmap_detail {
extern bool g_any_open;  // a range is open in the bitmap now
void switch_ranges(const sched::Thread* next);
}  // namespace io_bitmap_detail

// Called by the scheduler and the IPC fast path on every switch to `next` (before it runs):
// opens `next`'s ranges, closes those of the previous thread. Inline for the usual switch, where
// neither thread has a grant.
inline void io_bitmap_switch(const sched::Thread* next) {
  // Nothing open and nothing to open: the usual switch costs two loads and a branch.
  if (!io_bitmap_detail::g_any_open && !next->may_hold_io_ports) return;
  io_bitmap_detail::switch_ranges(next);
}

// Re-reads the running thread's grants: after TcbSetIoPorts on itself, and after CapDelete or
// CapRevoke (which may have emptied one of its TCB slots), so access ends at once rather than at
// the next switch.
void io_bitmap_refresh();

}  // namespace kernel::x86
