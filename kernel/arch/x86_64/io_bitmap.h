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

// Called by the scheduler on every switch to `next` (after the stack switch is prepared, before
// it runs): opens `next`'s ranges, closes those of the previous thread.
void io_bitmap_switch(const sched::Thread* next);

// Re-reads the running thread's grants: after TcbSetIoPorts on itself, and after CapDelete or
// CapRevoke (which may have emptied one of its TCB slots), so access ends at once rather than at
// the next switch.
void io_bitmap_refresh();

}  // namespace kernel::x86
