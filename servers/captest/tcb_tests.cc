// Thread (TCB) tests: TcbConfigure, TcbSetPriority, TcbSetMcp, TcbReadRegisters,
// TcbWriteRegisters, TcbResume, TcbSuspend; rights and argument types; threads that run, are
// suspended, deleted, fault without a fault endpoint, exit, or call an unknown syscall.
// Threads run functions of this program in init's VSpace (or a copy of it) and report through
// the globals below; the test waits for them with a bounded poll (yield, then short sleeps so
// lower priorities get the CPU too).
#include "framework.h"
#include "support.h"

using namespace mu::user;
using namespace captest;
using mu::ObjectType;

namespace {

constexpr uint64_t kSelf = mu::kSelfCNode;
constexpr uint64_t kRootSlots = uint64_t{1} << mu::kInitCNodeRadix;
constexpr uint64_t kFlagsAlwaysOn = 0x202;  // IF and the reserved bit 1
constexpr uint64_t kUnmapped = 0x1000;      // below the user floor: never mapped

// What the threads report. Reset at the start of every case that uses them.
struct Shared {
  volatile uint64_t step;
  volatile uint64_t counter;
  volatile uint64_t value;
  volatile int64_t results[8];
  volatile uint64_t tcb;  // the thread's own TCB slot
};
Shared g;
unsigned g_next_stack;  // next of the static thread stacks (below) to hand out

void reset() {
  g.step = 0;
  g.counter = 0;
  g.value = 0;
  for (volatile int64_t& r : g.results) r = 0;
  g.tcb = 0;
  g_next_stack = 0;
}

// Waits until `cond` holds: yields first (same priority), then sleeps 100 us at a time (lower
// priorities). False after about 2 s.
template <class Cond>
bool wait_until(Cond cond) {
  for (int i = 0; i < 20000; ++i) {
    if (cond()) return true;
    if (i < 1000) {
      yield();
    } else {
      (void)sleep_ns(100'000);
    }
  }
  return cond();
}

// ---- Threads in init's VSpace on static stacks (no mapping calls needed) ----
// A thread made here lives until the case's arena is revoked, which destroys its TCB; its stack
// is handed out again in the next case.
constexpr uint64_t kStackBytes = 16384;
constexpr unsigned kStacks = 4;
alignas(16) uint8_t g_stacks[kStacks][kStackBytes];

struct LocalThread {
  uint64_t tcb = 0;
  uint64_t stack_top = 0;
};

[[noreturn]] void local_trampoline(ThreadEntry entry, uint64_t arg, uint64_t self_tcb) {
  entry(arg);
  for (;;) (void)tcb_suspend(self_tcb);
}

// Retypes a TCB, configures it with init's CSpace and VSpace (no IPC buffer, no fault endpoint),
// points it at entry(arg) (arg == kSelfArg passes its own TCB slot), sets `priority` and resumes
// it unless `resume` is false. Returns 0 or the failing call's status.
constexpr uint64_t kSelfArg = ~uint64_t{0};
int64_t start_thread(LocalThread* t, ThreadEntry entry, uint64_t arg,
                     uint64_t priority = mu::kInitPriority, bool resume = true) {
  if (g_next_stack >= kStacks) return mu::status_value(mu::Status::NoMemory);
  int64_t r = retype_objects(ObjectType::Tcb, 0, 1, &t->tcb);
  if (r != 0) return r;
  t->stack_top = reinterpret_cast<uint64_t>(g_stacks[g_next_stack++]) + kStackBytes;
  r = tcb_configure(t->tcb, mu::kInitSlotCNode, mu::kInitSlotVSpace, 0, 0, 0);
  if (r != 0) return r;
  mu::UserRegisters regs{};
  regs.rip = reinterpret_cast<uint64_t>(&local_trampoline);
  regs.rsp = t->stack_top - 8;  // as if a call pushed a return address: 16n + 8 at entry
  regs.rdi = reinterpret_cast<uint64_t>(entry);
  regs.rsi = arg == kSelfArg ? t->tcb : arg;
  regs.rdx = t->tcb;
  r = tcb_write_registers(t->tcb, &regs);
  if (r != 0) return r;
  r = tcb_set_priority(t->tcb, priority);
  if (r != 0) return r;
  return resume ? tcb_resume(t->tcb) : 0;
}

// Lets every other thread run for a while (yields, then 20 ms of sleep).
void let_others_run() {
  for (int i = 0; i < 200; ++i) yield();
  (void)sleep_ns(20'000'000);
}

#define WAIT_FOR(cond) ASSERT_TRUE(wait_until([&] { return (cond); }))

// ---- Thread bodies ----

void set_step(uint64_t arg) { g.step = arg; }

void count_forever(uint64_t) {
  for (;;) {
    g.counter = g.counter + 1;
    yield();
  }
}

void suspend_self(uint64_t tcb) {
  g.step = 1;
  g.results[0] = tcb_suspend(tcb);
  g.step = 2;
}

void sleep_for(uint64_t ns) {
  g.step = 1;
  g.results[0] = sleep_ns(ns);
  g.step = 2;
}

void mcp_checks(uint64_t tcb) {
  g.results[0] = tcb_set_mcp(tcb, 50);       // lower its own MCP: allowed
  g.results[1] = tcb_set_mcp(tcb, 30);       // raise it again: above its new MCP
  g.results[2] = tcb_set_priority(tcb, 40);  // priority above the MCP
  g.results[3] = tcb_set_mcp(tcb, 50);       // equal to the MCP: allowed
  g.results[4] = tcb_set_priority(tcb, 50);  // equal to the MCP: allowed
  g.step = 1;
}

void delete_own_tcb(uint64_t tcb) {
  g.step = 1;
  (void)cap_delete(kSelf, tcb);
  g.step = 2;  // never reached: the thread is gone
}

[[gnu::noinline]] void page_fault(uint64_t) {
  g.step = 1;
  asm volatile(
      ".global tcb_test_fault_ip\n"
      "tcb_test_fault_ip: movq $1, (%0)" ::"r"(kUnmapped)
      : "memory");
  g.step = 2;
}

[[gnu::noinline]] void invalid_opcode(uint64_t) {
  g.step = 1;
  asm volatile(
      ".global tcb_test_ud_ip\n"
      "tcb_test_ud_ip: ud2" ::
          : "memory");
  g.step = 2;
}

void thread_exit(uint64_t code) {
  g.step = 1;
  g.results[0] = syscall6(mu::Sys::ThreadExit, code);
  g.step = 2;
}

void unknown_syscalls(uint64_t) {
  g.results[0] = syscall6(static_cast<mu::Sys>(19));
  g.results[1] = syscall6(static_cast<mu::Sys>(999));
  g.step = 1;
}

// Where a redirected thread goes: records its argument, then parks itself.
void redirected(uint64_t arg) {
  g.value = arg;
  for (;;) (void)tcb_suspend(g.tcb);
}

}  // namespace

extern "C" char tcb_test_fault_ip[];
extern "C" char tcb_test_ud_ip[];

#define NEW_OBJECT(var, type)                           \
  const uint64_t var = new_object(ObjectType::type, 0); \
  if (var == 0) return
#define NEW_THREAD(var, entry, ...) \
  LocalThread var;                  \
  ASSERT_OK(start_thread(&var, entry, __VA_ARGS__))

// ---------------------------------------------------------------- running threads

MU_TEST(tcb, configure_resume_runs_thread) {
  reset();
  NEW_THREAD(t, set_step, 42);
  WAIT_FOR(g.step == 42);
}

MU_TEST(tcb, thread_in_new_vspace_runs) {
  reset();
  uint64_t vspace = 0;
  ASSERT_OK(new_vspace(&vspace));
  ThreadOptions options;
  options.vspace = vspace;
  Thread t;
  ASSERT_OK(create_thread(&t, set_step, 7, options));
  WAIT_FOR(g.step == 7);
}

MU_TEST(tcb, higher_priority_thread_runs_before_resume_returns) {
  reset();
  LocalThread t;
  ASSERT_OK(start_thread(&t, set_step, 5, mu::kInitPriority - 5, false));
  ASSERT_EQ(g.step, 0);
  ASSERT_OK(tcb_resume(t.tcb));
  ASSERT_EQ(g.step, 5);  // it preempted captest inside TcbResume
}

MU_TEST(tcb, lower_priority_thread_waits_for_idle_cpu) {
  reset();
  NEW_THREAD(t, set_step, 9, 200);
  for (int i = 0; i < 200; ++i) yield();
  ASSERT_EQ(g.step, 0);  // captest stayed runnable: priority 200 never ran
  (void)sleep_ns(10'000'000);
  ASSERT_EQ(g.step, 9);
}

MU_TEST(tcb, resume_needs_cspace_and_vspace) {
  NEW_OBJECT(tcb, Tcb);
  ASSERT_STATUS(tcb_resume(tcb), IllegalOperation);
  ASSERT_OK(tcb_configure(tcb, mu::kInitSlotCNode, 0, 0, 0, 0));
  ASSERT_STATUS(tcb_resume(tcb), IllegalOperation);
  ASSERT_OK(tcb_configure(tcb, 0, mu::kInitSlotVSpace, 0, 0, 0));
  ASSERT_STATUS(tcb_resume(tcb), IllegalOperation);
}

MU_TEST(tcb, resume_and_suspend_are_idempotent) {
  reset();
  NEW_OBJECT(tcb, Tcb);
  ASSERT_OK(tcb_suspend(tcb));  // never resumed: already Inactive
  NEW_THREAD(t, count_forever, 0);
  WAIT_FOR(g.counter > 0);
  ASSERT_OK(tcb_resume(t.tcb));  // running: left as it is
  const uint64_t before = g.counter;
  WAIT_FOR(g.counter > before);
  ASSERT_OK(tcb_suspend(t.tcb));
  ASSERT_OK(tcb_suspend(t.tcb));
}

// ---------------------------------------------------------------- suspend and resume

MU_TEST(tcb, suspend_stops_and_resume_continues) {
  reset();
  NEW_THREAD(t, count_forever, 0);
  WAIT_FOR(g.counter > 3);
  ASSERT_OK(tcb_suspend(t.tcb));
  const uint64_t stopped = g.counter;
  let_others_run();
  ASSERT_EQ(g.counter, stopped);
  ASSERT_OK(tcb_resume(t.tcb));
  WAIT_FOR(g.counter > stopped + 3);
}

MU_TEST(tcb, suspend_self_returns_when_resumed) {
  reset();
  NEW_THREAD(t, suspend_self, kSelfArg);
  WAIT_FOR(g.step == 1);
  let_others_run();
  ASSERT_EQ(g.step, 1);
  ASSERT_OK(tcb_resume(t.tcb));
  WAIT_FOR(g.step == 2);
  ASSERT_EQ(g.results[0], 0);
}

MU_TEST(tcb, suspend_sleeping_thread_cancels_sleep) {
  reset();
  NEW_THREAD(t, sleep_for, 3'000'000'000ULL);
  WAIT_FOR(g.step == 1);
  ASSERT_OK(tcb_suspend(t.tcb));
  let_others_run();
  ASSERT_EQ(g.step, 1);
  ASSERT_OK(tcb_resume(t.tcb));
  WAIT_FOR(g.step == 2);
  ASSERT_STATUS(g.results[0], Cancelled);
}

MU_TEST(tcb, write_registers_redirects_suspended_thread) {
  reset();
  NEW_THREAD(t, count_forever, 0);
  WAIT_FOR(g.counter > 0);
  ASSERT_OK(tcb_suspend(t.tcb));
  g.tcb = t.tcb;
  mu::UserRegisters regs{};
  regs.rip = reinterpret_cast<uint64_t>(&redirected);
  regs.rsp = t.stack_top - 8;
  regs.rdi = 0x5eed;
  ASSERT_OK(tcb_write_registers(t.tcb, &regs));
  ASSERT_OK(tcb_resume(t.tcb));
  WAIT_FOR(g.value == 0x5eed);
}

// ---------------------------------------------------------------- registers

MU_TEST(tcb, new_tcb_registers_are_zero) {
  NEW_OBJECT(tcb, Tcb);
  mu::UserRegisters regs;
  __builtin_memset(&regs, 0xAB, sizeof(regs));
  ASSERT_OK(tcb_read_registers(tcb, &regs));
  ASSERT_EQ(regs.rip, 0);
  ASSERT_EQ(regs.rsp, 0);
  ASSERT_EQ(regs.rflags, kFlagsAlwaysOn);
  ASSERT_EQ(regs.rax, 0);
  ASSERT_EQ(regs.r15, 0);
}

MU_TEST(tcb, registers_round_trip) {
  NEW_OBJECT(tcb, Tcb);
  mu::UserRegisters in{};
  uint64_t* words = &in.rax;
  for (uint64_t i = 0; i < 15; ++i) words[i] = 0x1111'0000'0000'0000ULL * (i % 7) + i * 0x1001;
  in.rip = 0x40'1234;
  in.rsp = 0x7FFF'FFFF'0000ULL;
  in.rflags = 0x0C5;  // CF PF ZF SF
  ASSERT_OK(tcb_write_registers(tcb, &in));
  mu::UserRegisters out{};
  ASSERT_OK(tcb_read_registers(tcb, &out));
  ASSERT_EQ(out.rip, in.rip);
  ASSERT_EQ(out.rsp, in.rsp);
  ASSERT_EQ(out.rflags, in.rflags | kFlagsAlwaysOn);
  const uint64_t* back = &out.rax;
  for (uint64_t i = 0; i < 15; ++i) ASSERT_EQ(back[i], words[i]);
}

MU_TEST(tcb, write_registers_masks_flags) {
  NEW_OBJECT(tcb, Tcb);
  mu::UserRegisters in{};
  in.rip = 0x40'0000;
  in.rflags = ~uint64_t{0};  // IOPL, NT, RF, VM, AC, ID... must not get through
  ASSERT_OK(tcb_write_registers(tcb, &in));
  mu::UserRegisters out{};
  ASSERT_OK(tcb_read_registers(tcb, &out));
  ASSERT_EQ(out.rflags, mu::kUserFlagsMask | kFlagsAlwaysOn);
}

MU_TEST(tcb, write_registers_rejects_non_user_addresses) {
  NEW_OBJECT(tcb, Tcb);
  mu::UserRegisters in{};
  in.rip = 0x40'0000;
  in.rsp = 0x7FFF'0000ULL;
  ASSERT_OK(tcb_write_registers(tcb, &in));
  const uint64_t bad[] = {0x0000'8000'0000'0000ULL, 0x1234'5678'9ABC'DEF0ULL,
                          0xFFFF'8000'0000'0000ULL, 0xFFFF'FFFF'8000'0000ULL};
  for (uint64_t addr : bad) {
    mu::UserRegisters w = in;
    w.rip = addr;
    ASSERT_STATUS(tcb_write_registers(tcb, &w), InvalidArgument);
    w = in;
    w.rsp = addr;
    ASSERT_STATUS(tcb_write_registers(tcb, &w), InvalidArgument);
  }
  mu::UserRegisters out{};
  ASSERT_OK(tcb_read_registers(tcb, &out));  // nothing changed by the refused writes
  ASSERT_EQ(out.rip, in.rip);
  ASSERT_EQ(out.rsp, in.rsp);
}

MU_TEST(tcb, write_registers_of_running_thread_is_illegal) {
  reset();
  NEW_THREAD(t, count_forever, 0);
  WAIT_FOR(g.counter > 0);
  mu::UserRegisters regs{};
  ASSERT_OK(tcb_read_registers(t.tcb, &regs));
  ASSERT_STATUS(tcb_write_registers(t.tcb, &regs), IllegalOperation);
  mu::UserRegisters self{};
  ASSERT_OK(tcb_read_registers(mu::kInitSlotTcb, &self));
  ASSERT_STATUS(tcb_write_registers(mu::kInitSlotTcb, &self), IllegalOperation);
}

MU_TEST(tcb, read_own_registers_shows_the_syscall) {
  mu::UserRegisters regs{};
  ASSERT_OK(tcb_read_registers(mu::kInitSlotTcb, &regs));
  ASSERT_EQ(regs.rax, static_cast<uint64_t>(mu::Sys::TcbReadRegisters));
  ASSERT_EQ(regs.rdi, mu::kInitSlotTcb);
  ASSERT_EQ(regs.rsi, reinterpret_cast<uint64_t>(&regs));
  ASSERT_EQ(regs.rcx, regs.rip);  // SYSCALL put the return address there
}

MU_TEST(tcb, register_buffers_must_be_user_memory) {
  NEW_OBJECT(tcb, Tcb);
  auto* kernel = reinterpret_cast<mu::UserRegisters*>(0xFFFF'8000'0010'0000ULL);
  auto* unmapped = reinterpret_cast<mu::UserRegisters*>(kUnmapped);
  ASSERT_STATUS(tcb_read_registers(tcb, nullptr), BadAddress);
  ASSERT_STATUS(tcb_read_registers(tcb, kernel), BadAddress);
  ASSERT_STATUS(tcb_read_registers(tcb, unmapped), BadAddress);
  ASSERT_STATUS(tcb_write_registers(tcb, nullptr), BadAddress);
  ASSERT_STATUS(tcb_write_registers(tcb, kernel), BadAddress);
  // Read-only memory (this program's code) cannot receive registers.
  auto* code = reinterpret_cast<mu::UserRegisters*>(&set_step);
  ASSERT_STATUS(tcb_read_registers(tcb, code), BadAddress);
}

// ---------------------------------------------------------------- priorities and MCP

MU_TEST(tcb, priority_and_mcp_ranges) {
  NEW_OBJECT(tcb, Tcb);
  ASSERT_STATUS(tcb_set_priority(tcb, 256), InvalidArgument);
  ASSERT_STATUS(tcb_set_priority(tcb, ~uint64_t{0}), InvalidArgument);
  ASSERT_STATUS(tcb_set_mcp(tcb, 256), InvalidArgument);
  // init's MCP is 0 (the highest): every value is within it.
  ASSERT_OK(tcb_set_priority(tcb, 0));
  ASSERT_OK(tcb_set_priority(tcb, 255));
  ASSERT_OK(tcb_set_mcp(tcb, 0));
  ASSERT_OK(tcb_set_mcp(tcb, 255));
}

MU_TEST(tcb, thread_lowers_its_mcp_and_cannot_raise_it) {
  reset();
  LocalThread t;
  ASSERT_OK(start_thread(&t, mcp_checks, kSelfArg, mu::kInitPriority, false));
  ASSERT_OK(tcb_set_mcp(t.tcb, 20));
  ASSERT_OK(tcb_resume(t.tcb));
  WAIT_FOR(g.step == 1);
  ASSERT_OK(g.results[0]);
  ASSERT_STATUS(g.results[1], AboveMcp);
  ASSERT_STATUS(g.results[2], AboveMcp);
  ASSERT_OK(g.results[3]);
  ASSERT_OK(g.results[4]);
}

MU_TEST(tcb, fresh_thread_cannot_raise_anything) {
  // A new TCB's MCP is 255: with it as the authority only 255 is allowed. Its thread checks that
  // on another TCB (so captest itself is not the caller).
  reset();
  NEW_OBJECT(victim, Tcb);
  NEW_THREAD(t, mcp_checks, victim);
  WAIT_FOR(g.step == 1);
  for (int i = 0; i < 5; ++i) ASSERT_STATUS(g.results[i], AboveMcp);
}

// ---------------------------------------------------------------- types and rights

MU_TEST(tcb, every_call_checks_the_tcb_cap) {
  NEW_OBJECT(ep, Endpoint);
  mu::UserRegisters regs{};
  const uint64_t empty = alloc_slot();
  ASSERT_NE(empty, 0);
  const uint64_t bad[] = {ep, empty, kRootSlots, kSelf};
  const int64_t want[] = {
      mu::status_value(mu::Status::WrongType), mu::status_value(mu::Status::SlotEmpty),
      mu::status_value(mu::Status::InvalidSlot), mu::status_value(mu::Status::InvalidSlot)};
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(tcb_configure(bad[i], 0, 0, 0, 0, 0), want[i]);
    ASSERT_EQ(tcb_set_priority(bad[i], 100), want[i]);
    ASSERT_EQ(tcb_set_mcp(bad[i], 100), want[i]);
    ASSERT_EQ(tcb_read_registers(bad[i], &regs), want[i]);
    ASSERT_EQ(tcb_write_registers(bad[i], &regs), want[i]);
    ASSERT_EQ(tcb_resume(bad[i]), want[i]);
    ASSERT_EQ(tcb_suspend(bad[i]), want[i]);
  }
}

MU_TEST(tcb, configure_checks_argument_types) {
  NEW_OBJECT(tcb, Tcb);
  NEW_OBJECT(ep, Endpoint);
  NEW_OBJECT(ntfn, Notification);
  NEW_OBJECT(frame, Frame4K);
  const uint64_t cn = mu::kInitSlotCNode, vs = mu::kInitSlotVSpace;
  const uint64_t addr = alloc_vaddr(4096);
  ASSERT_STATUS(tcb_configure(tcb, vs, vs, 0, 0, 0), WrongType);
  ASSERT_STATUS(tcb_configure(tcb, cn, cn, 0, 0, 0), WrongType);
  ASSERT_STATUS(tcb_configure(tcb, cn, vs, ep, addr, 0), WrongType);
  ASSERT_STATUS(tcb_configure(tcb, cn, vs, 0, 0, ntfn), WrongType);
  ASSERT_STATUS(tcb_configure(tcb, cn, vs, 0, 0, frame), WrongType);
  ASSERT_STATUS(tcb_configure(tcb, cn, vs, 0, 0, kRootSlots), InvalidSlot);
  const uint64_t empty = alloc_slot();
  ASSERT_STATUS(tcb_configure(tcb, empty, vs, 0, 0, 0), SlotEmpty);
  ASSERT_STATUS(tcb_configure(tcb, cn, vs, frame, addr + 8, 0), InvalidArgument);
  ASSERT_STATUS(tcb_configure(tcb, cn, vs, frame, 0, 0), InvalidArgument);
  ASSERT_STATUS(tcb_configure(tcb, cn, vs, 0, addr, 0), InvalidArgument);
  ASSERT_STATUS(tcb_configure(tcb, cn, vs, frame, 0xFFFF'8000'0000'0000ULL, 0), InvalidArgument);
  ASSERT_STATUS(tcb_configure(tcb, cn, vs, frame, 0x0000'8000'0000'0000ULL, 0), InvalidArgument);
  // Nothing was configured by the failures: still no CSpace/VSpace to resume with.
  ASSERT_STATUS(tcb_resume(tcb), IllegalOperation);
  ASSERT_OK(tcb_configure(tcb, cn, vs, frame, addr, ep));
}

MU_TEST(tcb, configure_needs_writable_ipc_buffer) {
  NEW_OBJECT(tcb, Tcb);
  NEW_OBJECT(frame, Frame4K);
  const uint64_t ro = alloc_slot();
  ASSERT_NE(ro, 0);
  ASSERT_OK(cap_copy(kSelf, frame, kSelf, ro, mu::kRightRead));
  const uint64_t addr = alloc_vaddr(4096);
  ASSERT_STATUS(tcb_configure(tcb, mu::kInitSlotCNode, mu::kInitSlotVSpace, ro, addr, 0),
                InsufficientRights);
  ASSERT_OK(tcb_configure(tcb, mu::kInitSlotCNode, mu::kInitSlotVSpace, frame, addr, 0));
}

MU_TEST(tcb, read_only_tcb_cap_may_only_read) {
  NEW_OBJECT(tcb, Tcb);
  const uint64_t ro = alloc_slot();
  const uint64_t wo = alloc_slot();
  ASSERT_NE(wo, 0);
  ASSERT_OK(cap_copy(kSelf, tcb, kSelf, ro, mu::kRightRead));
  ASSERT_OK(cap_copy(kSelf, tcb, kSelf, wo, mu::kRightWrite));
  mu::UserRegisters regs{};
  ASSERT_OK(tcb_read_registers(ro, &regs));
  ASSERT_STATUS(tcb_write_registers(ro, &regs), InsufficientRights);
  ASSERT_STATUS(tcb_configure(ro, mu::kInitSlotCNode, mu::kInitSlotVSpace, 0, 0, 0),
                InsufficientRights);
  ASSERT_STATUS(tcb_set_priority(ro, 100), InsufficientRights);
  ASSERT_STATUS(tcb_set_mcp(ro, 100), InsufficientRights);
  ASSERT_STATUS(tcb_resume(ro), InsufficientRights);
  ASSERT_STATUS(tcb_suspend(ro), InsufficientRights);
  // The write right alone does everything but reading.
  ASSERT_STATUS(tcb_read_registers(wo, &regs), InsufficientRights);
  ASSERT_OK(tcb_write_registers(wo, &regs));
  ASSERT_OK(tcb_set_priority(wo, 100));
}

// ---------------------------------------------------------------- deletion

MU_TEST(tcb, delete_running_thread) {
  reset();
  NEW_THREAD(t, count_forever, 0);
  WAIT_FOR(g.counter > 3);
  release_slot(t.tcb);  // its only cap: the TCB is destroyed
  const uint64_t stopped = g.counter;
  let_others_run();
  ASSERT_EQ(g.counter, stopped);
}

MU_TEST(tcb, thread_deletes_its_own_tcb) {
  reset();
  NEW_THREAD(t, delete_own_tcb, kSelfArg);
  WAIT_FOR(g.step == 1);
  let_others_run();
  ASSERT_EQ(g.step, 1);
  ASSERT_STATUS(cap_identify(t.tcb), SlotEmpty);
}

MU_TEST(tcb, delete_sleeping_thread) {
  // The sleeper list must forget it: were it woken, it would run on and set step 2.
  reset();
  NEW_THREAD(t, sleep_for, 30'000'000);
  WAIT_FOR(g.step == 1);
  release_slot(t.tcb);
  (void)sleep_ns(80'000'000);
  ASSERT_EQ(g.step, 1);
}

// ---------------------------------------------------------------- faults, exit, unknown calls

MU_TEST(tcb, page_fault_without_fault_endpoint_stops_thread) {
  reset();
  NEW_THREAD(t, page_fault, 0);
  WAIT_FOR(g.step == 1);
  let_others_run();
  ASSERT_EQ(g.step, 1);
  mu::UserRegisters regs{};
  ASSERT_OK(tcb_read_registers(t.tcb, &regs));
  ASSERT_EQ(regs.rip, reinterpret_cast<uint64_t>(tcb_test_fault_ip));
  // It is Inactive: its registers can be written and it can be sent elsewhere.
  g.tcb = t.tcb;
  regs.rip = reinterpret_cast<uint64_t>(&redirected);
  regs.rsp = t.stack_top - 8;
  regs.rdi = 77;
  ASSERT_OK(tcb_write_registers(t.tcb, &regs));
  ASSERT_OK(tcb_resume(t.tcb));
  WAIT_FOR(g.value == 77);
}

MU_TEST(tcb, invalid_opcode_stops_thread) {
  reset();
  NEW_THREAD(t, invalid_opcode, 0);
  WAIT_FOR(g.step == 1);
  let_others_run();
  ASSERT_EQ(g.step, 1);
  mu::UserRegisters regs{};
  ASSERT_OK(tcb_read_registers(t.tcb, &regs));
  ASSERT_EQ(regs.rip, reinterpret_cast<uint64_t>(tcb_test_ud_ip));
  // Resumed unchanged, it faults again at the same place and stops again.
  ASSERT_OK(tcb_resume(t.tcb));
  let_others_run();
  ASSERT_EQ(g.step, 1);
  ASSERT_OK(tcb_read_registers(t.tcb, &regs));
  ASSERT_EQ(regs.rip, reinterpret_cast<uint64_t>(tcb_test_ud_ip));
}

MU_TEST(tcb, thread_exit_makes_thread_inactive) {
  reset();
  NEW_THREAD(t, thread_exit, 7);
  WAIT_FOR(g.step == 1);
  let_others_run();
  ASSERT_EQ(g.step, 1);
  // Resumed without new registers, its ThreadExit returns 0.
  ASSERT_OK(tcb_resume(t.tcb));
  WAIT_FOR(g.step == 2);
  ASSERT_OK(g.results[0]);
}

MU_TEST(tcb, unknown_syscall_without_fault_endpoint_fails) {
  reset();
  NEW_THREAD(t, unknown_syscalls, 0);
  WAIT_FOR(g.step == 1);
  ASSERT_STATUS(g.results[0], UnknownSyscall);
  ASSERT_STATUS(g.results[1], UnknownSyscall);
  ASSERT_STATUS(syscall6(static_cast<mu::Sys>(46)), UnknownSyscall);
  ASSERT_STATUS(syscall6(static_cast<mu::Sys>(~uint64_t{0})), UnknownSyscall);
}
