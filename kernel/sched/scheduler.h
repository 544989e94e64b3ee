// The scheduler of one CPU: 256 priorities (0 highest), round-robin with a time slice inside a
// priority, preemption by the one-shot timer and by the wake-up of a higher priority, a halting
// idle thread, and tickless idle (no timer armed while only idle runs and nobody sleeps).
//
// Locking: everything here runs with interrupts off (the kernel is not preemptible; on one CPU
// that is the big kernel lock). Kernel code only re-enables interrupts in the idle thread.
#pragma once

#include <stdint.h>

#include "sched/thread.h"

namespace kernel::sched {

// Creates the idle thread and installs the timer handler. `time_slice_ns` is the round-robin
// quantum (cmdline `timeslice_ms=`, default 10 ms). Call after mm, irq and time are up.
void init(uint64_t time_slice_ns);
[[nodiscard]] uint64_t time_slice_ns();

// Leaves the boot context for the highest-priority ready thread (or idle). Never returns.
[[noreturn]] void start();

[[nodiscard]] Thread* current();

// Makes a Blocked/Sleeping/new thread ready (an Inactive or Dead thread is left alone: only
// resume() starts an Inactive one). It goes to the tail of its priority; if that
// priority is higher than the running thread's, the running thread is preempted at once.
void make_ready(Thread* thread);

// The running thread goes to the tail of its priority with a fresh slice; the highest-priority
// ready thread (possibly itself) runs.
void yield();

// Blocks the running thread until make_ready(); for wait queues kept by the caller.
void block();

// ---- Blocking with a timeout (kernel/ipc) ----
// Blocks the running thread until make_ready() or until monotonic time `deadline_ns`, whichever
// comes first. On expiry the timer calls ipc::timeout_expired(thread) (which takes it out of its
// wait queue and stores its Timeout result) before the thread becomes ready; block_until then
// returns false. Returns true when woken by make_ready (the timeout is dropped). A deadline that
// already passed still blocks and expires at the next timer interrupt.
[[nodiscard]] bool block_until(uint64_t deadline_ns);
// Drops the pending timeout of a thread blocked in block_until (no effect otherwise).
void cancel_timeout(Thread* thread);
// make_ready without the preemption check: for callers that block or switch right after, and for
// destroy hooks, which must not switch threads in the middle of a capability operation.
void make_ready_no_preempt(Thread* thread);

// Sleeps until monotonic time `deadline_ns` (returns at once if it already passed).
void sleep_until(uint64_t deadline_ns);

// Ends the running thread; its slot and stack are reclaimed after the next switch.
[[noreturn]] void exit_current();

// Kernel page-table root, loaded when no user address space needs to be.
[[nodiscard]] uint64_t kernel_cr3();
// Ensures CR3 does not hold `root` (before an address space is destroyed).
void release_address_space(uint64_t root);

// ---- Threads that live in TCB objects (object/tcb.cc) ----
// Takes a thread that is not running off the run queue or the sleeper list, whichever holds it
// (no effect otherwise). Its state is left for the caller to set.
void unschedule(Thread* thread);
// Makes an Inactive thread ready (TcbResume), preempting the caller for a higher priority.
void resume(Thread* thread);
// The running thread, whose state the caller already set (Inactive or Dead), leaves the CPU
// without being queued anywhere. Returns only if resume() makes it ready again.
void stop_current();
// Changes the priority of any thread, moving it in the run queue if it is queued; then the
// highest-priority ready thread runs (the caller may be preempted).
void change_priority(Thread* thread, Priority priority);

// For the IPC fast paths: `next` (woken, of higher priority than the running thread, on no
// queue) takes the CPU at once, as make_ready() followed by the preemption would decide. The
// running thread goes to the head of its priority with the rest of its slice; `next` starts a
// fresh slice now and is marked Running. The caller switches (and loads CR3 and the FPU state).
// The armed timer deadline stays right: `next`'s slice ends no earlier than the running one's.
void preempt_current_by(Thread* next);

// Work a thread does right after it gets the CPU (frees dead threads); thread_start calls it.
void finish_switch();

}  // namespace kernel::sched

// Called from thread_trampoline (context_switch.S) on a new thread's first run.
extern "C" [[noreturn]] void thread_start(kernel::sched::ThreadEntry entry, void* arg);
