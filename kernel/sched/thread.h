// Threads: saved kernel context, kernel stack, FPU state of user threads, scheduling state.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/fpu.h"
#include "arch/x86_64/idt.h"
#include "ipc/ipc_state.h"
#include "mm/memory.h"
#include "sched/run_queue.h"
#include "sched/time_slice.h"

namespace kernel::proc {
struct Process;
}
namespace kernel::object {
struct TcbObject;
}

namespace kernel::sched {

// Inactive: a TCB thread that was never resumed, or was suspended (TcbResume makes it Ready).
enum class ThreadState : uint8_t { Free, Ready, Running, Blocked, Sleeping, Dead, Inactive };

// Threads of the kernel's own table: idle, and one spare. Every other thread lives in a TCB
// object user space retyped.
inline constexpr size_t kMaxThreads = 2;
inline constexpr size_t kKernelStackPages = 4;  // 16 KiB (+ an unmapped guard page)
inline constexpr size_t kThreadNameMax = 24;

using ThreadEntry = void (*)(void* arg);

// A thread. Lives in a fixed table (thread.cc), so creating one never touches a heap; the run
// queue links it through its Schedulable base. Fields are changed only by the scheduler with
// interrupts off (the kernel's big lock on one CPU).
class Thread : public sched::Schedulable {
 public:
  uint32_t id = 0;
  ThreadState state = ThreadState::Free;
  char name[kThreadNameMax] = {};
  uint64_t saved_rsp = 0;  // kernel rsp while switched out (context_switch frame)
  mm::KernelStack stack;
  proc::Process* process = nullptr;  // init's process for init's thread, nullptr otherwise
  bool user = false;                 // has user-mode state (FPU saved on switches)
  sched::TimeSlice slice;
  uint64_t slice_start_ns = 0;
  uint64_t wake_ns = 0;          // while Sleeping
  Thread* sleep_next = nullptr;  // sleeper list, sorted by wake_ns
  // Page-table root loaded while this thread runs (0: a kernel thread, kernel tables suffice).
  uint64_t cr3 = 0;
  // The TCB object this thread lives in (kernel/object/tcb.h), or nullptr for threads of the
  // kernel's own table (idle: every user thread lives in a TCB).
  object::TcbObject* tcb = nullptr;
  sched::Priority mcp = 0;  // maximum controlled priority (TcbSetPriority, TcbSetMcp)
  // Set while the thread waits for the reply to a fault message it sent (object/tcb.cc), so its
  // registers may be written (TcbWriteRegisters) before it resumes.
  bool fault_pending = false;
  // Set when a TCB thread's ThreadExit/ProcessExit went to its fault handler (kFaultExit): it
  // stays Inactive, and TcbResume refuses it until TcbWriteRegisters gives it somewhere to go.
  bool exited = false;
  // Set by TcbSetIoPorts when it gives the thread a port range, never cleared (a thread whose
  // grants went away just takes the slower check): lets a switch between threads without port
  // grants skip the TCB's slots (x86::io_bitmap_switch, on the IPC fast path too).
  bool may_hold_io_ports = false;
  ipc::IpcState ipc;  // endpoint/notification/reply state, owned by kernel/ipc
  x86::FpuArea fpu;

  // The user registers saved at the top of the kernel stack on every entry from user mode
  // (syscall or interrupt: the same layout). Valid for user threads while in the kernel.
  [[nodiscard]] x86::InterruptFrame* user_frame() const {
    return reinterpret_cast<x86::InterruptFrame*>(stack.top) - 1;
  }
};

// A kernel thread (idle, at boot): takes a free slot, allocates its guarded kernel stack and
// prepares it to start at entry(arg) on the first switch to it. The thread is not ready yet (see
// scheduler.h). Returns nullptr when the table or memory is exhausted.
[[nodiscard]] Thread* thread_create(const char* name, ThreadEntry entry, void* arg,
                                    sched::Priority priority);

// Returns a Dead thread's stack and slot. Precondition: not running and not on any queue.
// Threads that live in TCB objects have neither: nothing is freed for them.
void thread_free(Thread* thread);

// A fresh thread id (threads of the table and TCB threads share one id space).
[[nodiscard]] uint32_t new_thread_id();

}  // namespace kernel::sched
