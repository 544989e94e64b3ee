// Scheduler: ready queue, sleeper list, slice accounting, timer programming, context switches.
#include "sched/scheduler.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/io_bitmap.h"
#include "arch/x86_64/percpu.h"
#include "debug/panic.h"
#include "ipc/ipc.h"
#include "lib/print.h"
#include "object/tcb.h"
#include "proc/process.h"
#include "sched/policy.h"
#include "time/clock.h"

extern "C" void context_switch(uint64_t* save_rsp, uint64_t next_rsp);

namespace kernel::sched {
namespace {

RunQueue g_queue;
Thread* g_idle = nullptr;
Thread* g_sleepers = nullptr;  // sorted by wake_ns, earliest first
Thread* g_zombies = nullptr;   // Dead threads whose stacks wait to be freed (linked by sleep_next)
Thread g_boot_thread;          // stands for kernel_main's context until start()
uint64_t g_quantum_ns = kDefaultTimeSliceNs;
uint64_t g_kernel_cr3 = 0;
uint64_t g_armed_ns = kNoDeadline;  // the deadline the one-shot timer holds

x86::PerCpu& cpu() { return x86::this_cpu(); }

// Charges the running thread for the time since it (re)started its slice.
bool charge(Thread* thread, uint64_t now) {
  const uint64_t elapsed = now - thread->slice_start_ns;
  thread->slice_start_ns = now;
  return thread->slice.consume(elapsed);
}

// Programs the one-shot timer for the next event. Reprogramming costs about a thousand
// instructions (time::arm_timer), so a later deadline than the one armed is left alone: the early
// interrupt finds nothing due, and on_timer re-arms for the real deadline then. A yield storm
// thus reprograms once per slice instead of once per switch.
void rearm_timer() {
  Thread* cur = cpu().current;
  const uint64_t deadline =
      next_deadline(cur == g_idle, cur->slice_start_ns + cur->slice.remaining_ns(),
                    g_sleepers != nullptr, g_sleepers != nullptr ? g_sleepers->wake_ns : 0);
  if (deadline == kNoDeadline) {
    if (g_armed_ns != kNoDeadline) time::cancel_timer();  // tickless: only idle runs
  } else if (deadline < g_armed_ns) {
    time::arm_timer(deadline);
  } else {
    return;
  }
  g_armed_ns = deadline;
}

void reap_zombies() {
  while (g_zombies != nullptr) {
    Thread* dead = g_zombies;
    g_zombies = dead->sleep_next;
    dead->sleep_next = nullptr;
    thread_free(dead);
  }
}

Thread* pick_next() {
  Schedulable* next = g_queue.dequeue_highest();
  return next != nullptr ? static_cast<Thread*>(next) : g_idle;
}

// TCB threads keep their kernel stack inside the object: check its canary on both sides of the
// switch, and pick up the address space the TCB holds now.
void check_tcb_threads(Thread* prev, Thread* next) {
  if (prev->tcb != nullptr) object::tcb_check_stack(prev);
  if (next->tcb != nullptr) {
    object::tcb_check_stack(next);
    object::tcb_switching_in(next);
  }
}

// Runs `next` on this CPU. The caller has already put the running thread wherever it belongs
// (queue, sleeper list, wait queue, zombie list) and charged it.
void switch_to(Thread* next, uint64_t now) {
  Thread* prev = cpu().current;
  next->state = ThreadState::Running;
  next->slice_start_ns = now;
  if (next == prev) {
    rearm_timer();
    return;
  }
  check_tcb_threads(prev, next);
  if (prev->user && prev->state != ThreadState::Dead) x86::fpu_save(&prev->fpu);
  cpu().current = next;
  x86::set_kernel_stack(next->stack.top);
  x86::io_bitmap_switch(next);  // the I/O ports next may use (TcbSetIoPorts)
  if (next->cr3 != 0 && next->cr3 != cpu().loaded_cr3) {
    x86::write_cr3(next->cr3);
    cpu().loaded_cr3 = next->cr3;
  }
  if (next->user) x86::fpu_restore(&next->fpu);
  rearm_timer();
  // No GS bookkeeping: every entry path from ring 3 swaps to the kernel GS base (isr.S,
  // syscall_entry.S), so GS holds the kernel value on both sides of the switch.
  context_switch(&prev->saved_rsp, next->saved_rsp);
  reap_zombies();
}

void insert_sleeper(Thread* thread) {
  Thread** link = &g_sleepers;
  while (*link != nullptr && (*link)->wake_ns <= thread->wake_ns) link = &(*link)->sleep_next;
  thread->sleep_next = *link;
  *link = thread;
}

// A thread blocked in block_until whose timeout passed: wake_ns holds this instead of a deadline.
constexpr uint64_t kTimedOut = ~uint64_t{0};

void remove_sleeper(Thread* thread) {
  for (Thread** link = &g_sleepers; *link != nullptr; link = &(*link)->sleep_next) {
    if (*link == thread) {
      *link = thread->sleep_next;
      thread->sleep_next = nullptr;
      return;
    }
  }
}

void enqueue(Thread* thread, bool at_head) {
  thread->state = ThreadState::Ready;
  const RunQueueStatus status =
      at_head ? g_queue.enqueue_head(*thread) : g_queue.enqueue_tail(*thread);
  if (status != RunQueueStatus::Ok) panic("sched: thread %s queued twice", thread->name);
}

// Gives the CPU to a higher-priority ready thread, if there is one. The running thread keeps the
// rest of its slice and goes to the head of its priority (run_queue.h policy).
void preempt_if_needed(uint64_t now) {
  Thread* cur = cpu().current;
  if (cur->state != ThreadState::Running || g_queue.empty()) return;
  if (cur != g_idle && !should_preempt(cur->priority(), g_queue.highest_priority())) return;
  if (cur != g_idle) {
    (void)charge(cur, now);
    enqueue(cur, /*at_head=*/true);
  }
  switch_to(pick_next(), now);
}

// One-shot timer: wake due sleepers, end an expired slice, preempt for a higher priority.
void on_timer(uint64_t now) {
  g_armed_ns = kNoDeadline;  // the time module disarmed itself before calling us
  while (g_sleepers != nullptr && g_sleepers->wake_ns <= now) {
    Thread* woken = g_sleepers;
    g_sleepers = woken->sleep_next;
    woken->sleep_next = nullptr;
    if (woken->state == ThreadState::Blocked) {  // block_until's timeout
      woken->wake_ns = kTimedOut;
      ipc::timeout_expired(woken);
    }
    woken->slice.refill();
    enqueue(woken, false);
  }
  Thread* cur = cpu().current;
  const bool expired = cur != g_idle && charge(cur, now);
  if (expired) cur->slice.refill();
  switch (decide(cur == g_idle, cur->priority(), expired, g_queue)) {
    case SchedDecision::Keep: rearm_timer(); return;
    case SchedDecision::LeaveIdle: break;
    case SchedDecision::RotateToTail: enqueue(cur, /*at_head=*/false); break;
    case SchedDecision::PreemptToHead: enqueue(cur, /*at_head=*/true); break;
  }
  switch_to(pick_next(), now);
}

[[noreturn]] void idle_loop() {
  for (;;) {
    console_flush();  // the framebuffer console draws deferred text while nothing else runs
    asm volatile("cli" ::: "memory");
    if (!g_queue.empty()) {
      switch_to(pick_next(), time::monotonic_ns());
      continue;
    }
    // STI's one-instruction interrupt shadow makes "sti; hlt" free of the lost-wakeup race
    // (Intel SDM vol 2B STI).
    asm volatile("sti; hlt" ::: "memory");
  }
}

void idle_entry(void*) { idle_loop(); }

}  // namespace

void init(uint64_t time_slice_ns) {
  g_quantum_ns = time_slice_ns == 0 ? kDefaultTimeSliceNs : time_slice_ns;
  g_kernel_cr3 = x86::read_cr3();
  x86::percpu_init();
  g_boot_thread.state = ThreadState::Blocked;
  g_boot_thread.name[0] = '\0';
  cpu().current = &g_boot_thread;
  g_idle = thread_create("idle", idle_entry, nullptr, kPriorityCount - 1);
  if (g_idle == nullptr) panic("sched: cannot create the idle thread");
  time::set_timer_handler(on_timer);
}

uint64_t time_slice_ns() { return g_quantum_ns; }

void start() {
  g_boot_thread.state = ThreadState::Dead;
  switch_to(pick_next(), time::monotonic_ns());
  panic("sched: the boot context was resumed");
}

Thread* current() { return cpu().current; }

void make_ready(Thread* thread) {
  if (thread->state == ThreadState::Inactive || thread->state == ThreadState::Dead) return;
  cancel_timeout(thread);
  thread->slice.refill();
  enqueue(thread, false);
  preempt_if_needed(time::monotonic_ns());
}

void yield() {
  Thread* cur = cpu().current;
  const uint64_t now = time::monotonic_ns();
  cur->slice.refill();
  enqueue(cur, false);
  switch_to(pick_next(), now);
}

void block() {
  Thread* cur = cpu().current;
  const uint64_t now = time::monotonic_ns();
  (void)charge(cur, now);
  cur->state = ThreadState::Blocked;
  cur->wake_ns = 0;
  switch_to(pick_next(), now);
}

bool block_until(uint64_t deadline_ns) {
  Thread* cur = cpu().current;
  const uint64_t now = time::monotonic_ns();
  (void)charge(cur, now);
  cur->state = ThreadState::Blocked;
  cur->wake_ns = deadline_ns < now ? now : deadline_ns;
  if (cur->wake_ns == kTimedOut) cur->wake_ns = kTimedOut - 1;
  insert_sleeper(cur);
  switch_to(pick_next(), now);
  const bool woken = cur->wake_ns != kTimedOut;
  cur->wake_ns = 0;
  return woken;
}

// Blocked threads have wake_ns 0 unless they wait in block_until (a deadline: on the sleeper
// list) or just timed out (kTimedOut).
void cancel_timeout(Thread* thread) {
  if (thread->state != ThreadState::Blocked || thread->wake_ns == 0) return;
  if (thread->wake_ns != kTimedOut) {
    remove_sleeper(thread);
    thread->wake_ns = 0;
  }
}

void make_ready_no_preempt(Thread* thread) {
  cancel_timeout(thread);
  thread->slice.refill();
  enqueue(thread, false);
}

void sleep_until(uint64_t deadline_ns) {
  Thread* cur = cpu().current;
  const uint64_t now = time::monotonic_ns();
  if (deadline_ns <= now) return;
  (void)charge(cur, now);
  cur->state = ThreadState::Sleeping;
  cur->wake_ns = deadline_ns;
  insert_sleeper(cur);
  switch_to(pick_next(), now);
}

void exit_current() {
  Thread* cur = cpu().current;
  cur->state = ThreadState::Dead;
  if (cur->tcb == nullptr) {  // a TCB thread's stack belongs to its object: nothing to reap
    cur->sleep_next = g_zombies;
    g_zombies = cur;
  }
  switch_to(pick_next(), time::monotonic_ns());
  panic("sched: a dead thread was resumed");
}

void unschedule(Thread* thread) {
  if (thread->queued()) {
    if (g_queue.remove(*thread) != RunQueueStatus::Ok)
      panic("sched: cannot dequeue %s", thread->name);
    return;
  }
  for (Thread** link = &g_sleepers; *link != nullptr; link = &(*link)->sleep_next) {
    if (*link == thread) {
      *link = thread->sleep_next;
      thread->sleep_next = nullptr;
      return;
    }
  }
}

void resume(Thread* thread) {
  thread->slice.refill();
  enqueue(thread, false);
  preempt_if_needed(time::monotonic_ns());
}

void stop_current() {
  Thread* cur = cpu().current;
  const uint64_t now = time::monotonic_ns();
  (void)charge(cur, now);
  switch_to(pick_next(), now);
}

void change_priority(Thread* thread, Priority priority) {
  if (thread->queued()) {
    if (g_queue.requeue(*thread, priority) != RunQueueStatus::Ok)
      panic("sched: cannot requeue %s", thread->name);
  } else {
    (void)thread->set_priority(priority);  // not queued: cannot fail
  }
  if (cpu().current->state != ThreadState::Running) return;
  preempt_if_needed(time::monotonic_ns());
}

void preempt_current_by(Thread* next) {
  Thread* cur = cpu().current;
  const uint64_t now = time::monotonic_ns();
  (void)charge(cur, now);
  enqueue(cur, /*at_head=*/true);
  next->slice.refill();
  next->slice_start_ns = now;
  next->state = ThreadState::Running;
}

uint64_t kernel_cr3() { return g_kernel_cr3; }

void finish_switch() { reap_zombies(); }

void release_address_space(uint64_t root) {
  if (cpu().loaded_cr3 == root) {
    x86::write_cr3(g_kernel_cr3);
    cpu().loaded_cr3 = g_kernel_cr3;
  }
}

}  // namespace kernel::sched

extern "C" void thread_start(kernel::sched::ThreadEntry entry, void* arg) {
  using namespace kernel;
  sched::finish_switch();
  entry(arg);
  sched::exit_current();
}
