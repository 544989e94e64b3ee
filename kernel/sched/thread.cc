// Thread table and initial kernel-stack frames (see context_switch.S for the frame layout).
#include "sched/thread.h"

#include "sched/scheduler.h"

extern "C" void thread_trampoline();

namespace kernel::sched {
namespace {

Thread g_threads[kMaxThreads];
uint32_t g_next_id = 1;

}  // namespace

Thread* thread_create(const char* name, ThreadEntry entry, void* arg, Priority priority) {
  Thread* thread = nullptr;
  for (Thread& t : g_threads) {
    if (t.state == ThreadState::Free) {
      thread = &t;
      break;
    }
  }
  if (thread == nullptr) return nullptr;
  mm::KernelStack stack;
  if (!mm::alloc_kernel_stack(kKernelStackPages, &stack)) return nullptr;

  thread->id = new_thread_id();
  thread->stack = stack;
  thread->process = nullptr;
  thread->user = false;
  thread->sleep_next = nullptr;
  (void)thread->set_priority(priority);  // cannot fail: a free thread is not queued
  thread->slice.set_quantum(time_slice_ns());
  thread->slice.refill();
  size_t i = 0;
  for (; name[i] != '\0' && i + 1 < kThreadNameMax; ++i) thread->name[i] = name[i];
  thread->name[i] = '\0';

  // context_switch pops r15, r14, r13, r12, rbx, rbp, rflags, then returns.
  uint64_t* sp = reinterpret_cast<uint64_t*>(stack.top);
  *--sp = 0;                                               // alignment slot
  *--sp = reinterpret_cast<uint64_t>(&thread_trampoline);  // return address
  *--sp = 0x2;                                             // rflags: IF off
  *--sp = 0;                                               // rbp
  *--sp = 0;                                               // rbx
  *--sp = reinterpret_cast<uint64_t>(entry);               // r12
  *--sp = reinterpret_cast<uint64_t>(arg);                 // r13
  *--sp = 0;                                               // r14
  *--sp = 0;                                               // r15
  thread->saved_rsp = reinterpret_cast<uint64_t>(sp);
  thread->state = ThreadState::Blocked;
  return thread;
}

uint32_t new_thread_id() { return g_next_id++; }

void thread_free(Thread* thread) {
  if (thread->tcb != nullptr) return;  // its stack is part of the TCB object
  mm::free_kernel_stack(thread->stack);
  thread->stack = {};
  thread->process = nullptr;
  thread->state = ThreadState::Free;
}

}  // namespace kernel::sched
