// The kernel-core user tests and the yield benchmark (kernel_core_tests.h), as init ran them
// with the kernel's Spawn/Wait before, now built by init itself.
#include "kernel_core_tests.h"

#include "event_loop.h"
#include "mu/syscall.h"
#include "program_builder.h"
#include "supervisor.h"

using namespace mu::user;

namespace init {
namespace {

constexpr uint64_t kTestPriority = 100;
int64_t g_passed = 0, g_failed = 0;

void report(const char* name, bool pass, const char* detail_format, int64_t value) {
  char detail[96];
  // A tiny formatter for one %ld in `detail_format`.
  size_t n = 0;
  for (const char* p = detail_format; *p != '\0' && n + 24 < sizeof(detail); ++p) {
    if (p[0] == '%' && p[1] == 'l' && p[2] == 'd') {
      char digits[24];
      size_t d = 0;
      uint64_t v = value < 0 ? static_cast<uint64_t>(-value) : static_cast<uint64_t>(value);
      if (value < 0) detail[n++] = '-';
      do {
        digits[d++] = static_cast<char>('0' + v % 10);
        v /= 10;
      } while (v != 0);
      while (d > 0) detail[n++] = digits[--d];
      p += 2;
    } else {
      detail[n++] = *p;
    }
  }
  detail[n] = '\0';
  if (pass) {
    ++g_passed;
  } else {
    ++g_failed;
  }
  print("utest: %s: %s %s\n", name, pass ? "PASS" : "FAIL", detail);
}

// Starts a test program through the builder; its pid, or a negative status.
int64_t spawn_checked(const char* path, uint64_t priority, uint64_t arg) {
  Proc* proc = proc_new(ProcKind::Test);
  if (proc == nullptr) {
    print("init: spawn %s failed: too many processes\n", path);
    return mu::status_value(mu::Status::NoMemory);
  }
  ProgramRequest request;
  request.path = path;
  request.priority = priority;
  request.arg = arg;
  const int64_t r = proc_start(proc, &request);
  if (r != 0) {
    *proc = Proc{};
    print("init: spawn %s failed: %ld\n", path, r);
    return r;
  }
  return static_cast<int64_t>(proc->program.pid);
}

// Serves init's endpoint until test program `pid` has ended; its exit code, or
// mu::kExitFaultBase + vector after a fault.
int64_t wait_for_test(int64_t pid) {
  Proc* proc = nullptr;
  for (size_t i = 0; i < kMaxProcs; ++i) {
    Proc* p = proc_at(i);
    if (p->used && p->kind == ProcKind::Test && p->last_pid == static_cast<uint64_t>(pid)) proc = p;
  }
  if (proc == nullptr) return mu::status_value(mu::Status::NotFound);
  while (!proc->ended) (void)serve_once(0);
  const int64_t value = proc->exit_value;
  *proc = Proc{};
  return value;
}

int64_t run_and_wait(const char* path, uint64_t priority, uint64_t arg) {
  const int64_t pid = spawn_checked(path, priority, arg);
  return pid > 0 ? wait_for_test(pid) : pid;
}

// Two CPU-bound programs at one priority must both run, each preempted repeatedly.
void test_preempt() {
  const int64_t a = spawn_checked("/tests/spin", kTestPriority, 'A' | (300 << 8));
  const int64_t b = spawn_checked("/tests/spin", kTestPriority, 'B' | (300 << 8));
  const int64_t ga = a > 0 ? wait_for_test(a) : -1;
  const int64_t gb = b > 0 ? wait_for_test(b) : -1;
  const int64_t fewer = ga < gb ? ga : gb;
  report("preempt", ga >= 2 && gb >= 2 && ga < mu::kExitFaultBase && gb < mu::kExitFaultBase,
         "both spinners preempted at least %ld times", fewer);
}

// A sleeping high-priority program must get the CPU from a low-priority hog as soon as it wakes.
// The kernel-core suite boots with 25 ms slices: the sleeper's 30 ms deadline then falls 20 ms
// before the hog's slice ends, so a kernel that only switched at slice ends would show ~20 ms,
// while wake-up preemption shows well under a millisecond. The 10 ms bound tells them apart with
// room for the host descheduling QEMU (TCG guest time follows host time).
constexpr int64_t kWakeLatencyLimitUs = 10000;

void test_prio() {
  const int64_t hog = spawn_checked("/tests/prio", kTestPriority + 20, 0);
  const int64_t sleeper = spawn_checked("/tests/prio", kTestPriority - 50, 1);
  const int64_t latency_us = sleeper > 0 ? wait_for_test(sleeper) : -1;
  if (hog > 0) (void)wait_for_test(hog);
  report("prio", latency_us >= 0 && latency_us < kWakeLatencyLimitUs,
         "woke %ldus after its deadline", latency_us);
}

// User FPU/SSE state is saved and restored on every switch between user threads.
void test_fpu() {
  const int64_t a = spawn_checked("/tests/fpu", kTestPriority, 1);
  const int64_t b = spawn_checked("/tests/fpu", kTestPriority, 2);
  const int64_t ma = a > 0 ? wait_for_test(a) : -1;
  const int64_t mb = b > 0 ? wait_for_test(b) : -1;
  report("fpu", ma == 0 && mb == 0, "x87/SSE values kept across 400 switches (%ld mismatches)",
         ma + mb);
}

void test_sleep() {
  const int64_t us = run_and_wait("/tests/sleep", kTestPriority, 0);
  report("sleep", us >= 90000 && us <= 110000, "100 ms sleep measured %ldus", us);
}

// Crashing programs are stopped (wait reports the exception) while a spinner keeps running.
void test_crashes(bool null, bool text, bool stack, bool priv, bool overflow, bool badptr) {
  const int64_t survivor = spawn_checked("/tests/spin", kTestPriority, 'S' | (400 << 8));
  struct Case {
    bool wanted;
    const char* name;
    const char* path;
    int64_t expect;
  } cases[] = {
      {null, "crash_null", "/tests/crash_null", mu::kExitFaultBase + 14},
      {text, "crash_text_write", "/tests/crash_text_write", mu::kExitFaultBase + 14},
      {stack, "crash_exec_stack", "/tests/crash_exec_stack", mu::kExitFaultBase + 14},
      {priv, "crash_privileged", "/tests/crash_privileged", mu::kExitFaultBase + 13},
      {overflow, "crash_stack_overflow", "/tests/crash_stack_overflow", mu::kExitFaultBase + 14},
      {badptr, "bad_pointer", "/tests/bad_pointer", 0},
  };
  for (const Case& c : cases) {
    if (!c.wanted) continue;
    const int64_t code = run_and_wait(c.path, kTestPriority, 0);
    report(c.name, code == c.expect, "exit status %ld", code);
  }
  const int64_t code = survivor > 0 ? wait_for_test(survivor) : -1;
  report("survivor", code >= 0 && code < mu::kExitFaultBase,
         "spinner ran to completion beside the crashes (exit %ld)", code);
}

bool selected(const char* list, size_t len, const char* name) {
  if (len == 3 && starts_with(list, len, "all")) return true;
  const size_t name_len = string_length(name);
  size_t start = 0;
  for (size_t i = 0; i <= len; ++i) {
    if (i == len || list[i] == ',') {
      if (i - start == name_len && starts_with(list + start, i - start, name)) return true;
      start = i + 1;
    }
  }
  return false;
}

}  // namespace

int64_t run_kernel_core_tests(const char* list, uint64_t len) {
  if (selected(list, len, "preempt")) test_preempt();
  if (selected(list, len, "prio")) test_prio();
  if (selected(list, len, "sleep")) test_sleep();
  if (selected(list, len, "fpu")) test_fpu();
  test_crashes(selected(list, len, "crash_null"), selected(list, len, "crash_text_write"),
               selected(list, len, "crash_exec_stack"), selected(list, len, "crash_privileged"),
               selected(list, len, "crash_stack_overflow"), selected(list, len, "bad_pointer"));
  print("utest: %ld passed, %ld failed\n", g_passed, g_failed);
  return g_failed;
}

void run_bench(const StartInfo* info) {
  print("bench: boot_to_init_insn=%lu\n", info->start_tsc - info->kernel_tsc);
  constexpr uint64_t kCalls = 10000;
  const uint64_t t0 = rdtsc();
  for (uint64_t i = 0; i < kCalls; ++i) (void)syscall(mu::Sys::Null);
  const uint64_t t1 = rdtsc();
  print("bench: null_syscall_insn=%lu\n", (t1 - t0) / kCalls);
  constexpr uint64_t kYields = 10000;
  const int64_t a = spawn_checked("/tests/yield", 20, kYields);
  const int64_t b = spawn_checked("/tests/yield", 20, kYields);
  const int64_t ticks_a = a > 0 ? wait_for_test(a) : 0;
  const int64_t ticks_b = b > 0 ? wait_for_test(b) : 0;
  const int64_t ticks = ticks_a > ticks_b ? ticks_a : ticks_b;
  print("bench: yield_switch_insn=%lu\n", static_cast<uint64_t>(ticks) / (2 * kYields));
}


}  // namespace init
