// Per-thread I/O-port access through the TSS I/O permission bitmap (Intel SDM vol 1 §19.5.2).
// A thread whose TCB holds an IoPort capability (kTcbSlotIoPort) may use IN/OUT/INS/OUTS on
// exactly that cap's ports; every other port raises #GP. IOPL stays 0 for every thread, so the
// bitmap is the only thing that grants ports.
//
// One bitmap serves the CPU: it holds the running thread's range open and nothing else. A switch
// rewrites only the bytes of the ranges that change (nothing when both threads have the same
// range or none), so the usual switch costs one comparison.
#pragma once

#include <stdint.h>

#include "sched/thread.h"

namespace kernel::x86 {

// Called by the scheduler on every switch to `next` (after the stack switch is prepared, before
// it runs): opens `next`'s range, closes the previous thread's.
void io_bitmap_switch(const sched::Thread* next);

// Re-reads the running thread's grant: after TcbSetIoPorts on itself, and after CapDelete or
// CapRevoke (which may have emptied its TCB slot), so access ends at once rather than at the
// next switch.
void io_bitmap_refresh();

// The port range open right now (for tests): false when none is.
[[nodiscard]] bool io_bitmap_open_range(uint16_t* first, uint16_t* last);

}  // namespace kernel::x86
