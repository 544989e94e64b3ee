// Process table and supervision (supervisor.h).
#include "supervisor.h"

#include "mu_caps.h"
#include "mu_user.h"

using namespace mu::user;
using mu::proto::init::ExitHow;
using mu::proto::init::ProcState;

namespace init {
namespace {

Proc g_procs[kMaxProcs];
uint64_t g_next_pid = 2;  // the kernel's init is pid 1
RunEndHook g_run_end;
TeardownHook g_teardown;

constexpr uint64_t kMsNs = 1000 * 1000;
constexpr uint64_t kStableRunNs = 10000 * kMsNs;  // a run this long resets the backoff
constexpr uint64_t kMaxBackoffMs = 60000;

bool same(const char* a, const char* b, size_t b_len) {
  size_t i = 0;
  for (; i < b_len; ++i) {
    if (a[i] != b[i]) return false;
  }
  return a[i] == '\0';
}

void log_manifest_error(const ManifestError& error, void*) {
  if (error.line == 0) {
    print("init: /etc/services: %s\n", error.message);
  } else {
    print("init: /etc/services:%u: %s\n", error.line, error.message);
  }
}

// The instance is gone: drops what refers to it.
void end_instance(Proc* proc) {
  const uint64_t pid = proc->program.pid;
  teardown_program(&proc->program);
  if (g_teardown != nullptr && pid != 0) g_teardown(pid);
}

// After an instance of a service ended (or could not be built): restart per policy.
void schedule_restart(Proc* proc, bool failed) {
  const uint64_t now = clock_ns();
  const ServiceSpec& spec = proc->spec;
  const bool wanted = spec.restart == RestartPolicy::Always ||
                      (spec.restart == RestartPolicy::OnFailure && failed);
  if (!wanted) {
    proc->state = ProcState::Stopped;
    return;
  }
  if (proc->started_ns != 0 && now - proc->started_ns >= kStableRunNs) proc->attempt = 0;
  if (proc->attempt >= spec.max_restarts) {
    proc->state = ProcState::Failed;
    print("init: %s failed: gave up after %u restarts\n", spec.name, proc->attempt);
    return;
  }
  ++proc->attempt;
  uint64_t delay_ms = spec.backoff_ms;
  for (uint32_t i = 1; i < proc->attempt && delay_ms < kMaxBackoffMs; ++i) delay_ms *= 2;
  if (delay_ms > kMaxBackoffMs) delay_ms = kMaxBackoffMs;
  proc->state = ProcState::Restarting;
  proc->restart_at_ns = now + delay_ms * kMsNs;
  print("init: restarting %s (attempt %u) in %lu ms\n", spec.name, proc->attempt, delay_ms);
}

void free_proc(Proc* proc) { *proc = Proc{}; }

// A service whose program could not be built: a missing or invalid file does not get better by
// waiting, so it fails at once; anything else (memory) is retried per policy.
void start_failed(Proc* proc, int64_t status) {
  if (status == mu::status_value(mu::Status::NotFound) ||
      status == mu::status_value(mu::Status::BadExecutable)) {
    proc->state = ProcState::Failed;
    print("init: %s failed: %s cannot be loaded\n", proc->spec.name, proc->spec.program);
    return;
  }
  schedule_restart(proc, true);
}

// How one instance ended: the log line, then the kind's follow-up.
void finish(Proc* proc, ExitHow how, int64_t code) {
  end_instance(proc);
  switch (proc->kind) {
    case ProcKind::Service: schedule_restart(proc, how != ExitHow::Exited || code != 0); break;
    case ProcKind::Run:
      if (g_run_end != nullptr) g_run_end(proc, how, code);
      free_proc(proc);
      break;
    case ProcKind::Test:
      proc->ended = true;
      proc->state = ProcState::Stopped;
      break;
  }
}

}  // namespace

const char* vector_name(uint64_t vector) {
  static const char* const kNames[] = {"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
                                       "#DF", "#CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "#15",
                                       "#MF", "#AC", "#MC", "#XM", "#VE", "#CP"};
  return vector < sizeof(kNames) / sizeof(kNames[0]) ? kNames[vector] : "#??";
}

Proc* proc_at(size_t index) { return index < kMaxProcs ? &g_procs[index] : nullptr; }

Proc* proc_by_pid(uint64_t pid) {
  if (pid == 0) return nullptr;
  for (Proc& p : g_procs) {
    if (p.used && p.program.pid == pid) return &p;
  }
  return nullptr;
}

Proc* proc_by_name(const char* name, size_t len) {
  for (Proc& p : g_procs) {
    if (p.used && p.kind == ProcKind::Service && same(p.spec.name, name, len)) return &p;
  }
  return nullptr;
}

Proc* proc_new(ProcKind kind) {
  for (Proc& p : g_procs) {
    if (!p.used) {
      p = Proc{};
      p.used = true;
      p.kind = kind;
      p.state = ProcState::Stopped;
      return &p;
    }
  }
  return nullptr;
}

uint64_t next_pid() { return g_next_pid++; }

int64_t proc_start(Proc* proc, const ProgramRequest* request) {
  ProgramRequest from_spec;
  if (request == nullptr) {
    from_spec.path = proc->spec.program;
    from_spec.name = proc->spec.name;
    from_spec.args = proc->spec.args;
    from_spec.priority = proc->spec.priority;
    from_spec.memory_bytes = proc->spec.memory_kib * 1024;
    from_spec.heap_bytes = proc->spec.heap_kib * 1024;
    from_spec.grants = &proc->spec;
    request = &from_spec;
  }
  const int64_t r = build_program(*request, next_pid(), &proc->program);
  if (r != 0) {
    proc->program = Program{};  // no instance
    return r;
  }
  proc->state = ProcState::Running;
  proc->started_ns = clock_ns();
  proc->ended = false;
  proc->last_pid = proc->program.pid;
  if (proc->kind != ProcKind::Test) {
    print("init: started %s pid=%lu\n", proc->program.name, proc->program.pid);
  }
  return 0;
}

void supervisor_start_services(const char* text, size_t length) {
  ServiceSpec specs[kMaxServices];  // on the stack: init's bss is zeroed by the kernel before it runs
  const size_t count = parse_manifest(text, length, specs, kMaxServices, log_manifest_error, nullptr);
  size_t order[kMaxServices];
  const size_t ordered = order_services(specs, count, order, log_manifest_error, nullptr);
  for (size_t i = 0; i < ordered; ++i) {
    Proc* proc = proc_new(ProcKind::Service);
    if (proc == nullptr) {
      print("init: too many processes; %s not started\n", specs[order[i]].name);
      break;
    }
    proc->spec = specs[order[i]];
    const int64_t r = proc_start(proc);
    if (r != 0) start_failed(proc, r);
  }
}

void supervisor_on_fault(uint64_t pid, uint64_t label, const uint64_t* words) {
  Proc* proc = proc_by_pid(pid);
  if (proc == nullptr) return;  // already torn down (e.g. killed while its fault was queued)
  const char* name = proc->program.name;
  const uint64_t rip = words[0];
  if (label == mu::kFaultExit) {
    const int64_t code = static_cast<int64_t>(words[1]);
    if (proc->kind != ProcKind::Test) print("init: %s (pid %lu) exited with code %ld\n", name, pid, code);
    proc->exit_value = code;
    finish(proc, ExitHow::Exited, code);
    return;
  }
  uint64_t vector = 6;  // an unknown system call is reported like #UD
  if (label == mu::kFaultPage) {
    vector = 14;
    if (proc->kind == ProcKind::Test) {
      print("user fault: pid=%lu name=%s #PF addr=0x%lx rip=0x%lx error=0x%lx\n", pid, name,
            words[1], rip, words[2]);
    } else {
      print("init: %s (pid %lu) faulted: #PF at 0x%lx rip=0x%lx\n", name, pid, words[1], rip);
    }
  } else if (label == mu::kFaultException) {
    vector = words[1];
    if (proc->kind == ProcKind::Test) {
      print("user fault: pid=%lu name=%s %s rip=0x%lx error=0x%lx\n", pid, name,
            vector_name(vector), rip, words[2]);
    } else {
      print("init: %s (pid %lu) faulted: %s rip=0x%lx\n", name, pid, vector_name(vector), rip);
    }
  } else {
    print("init: %s (pid %lu) faulted: unknown system call %lu rip=0x%lx\n", name, pid, words[1],
          rip);
  }
  proc->exit_value = mu::kExitFaultBase + static_cast<int64_t>(vector);
  finish(proc, ExitHow::Faulted, static_cast<int64_t>(vector));
}

bool supervisor_emulate_unknown_syscall(uint64_t pid) {
  Proc* proc = proc_by_pid(pid);
  if (proc == nullptr || proc->kind != ProcKind::Test) return false;
  mu::UserRegisters regs{};
  if (tcb_read_registers(proc->program.tcb, &regs) != 0) return false;
  regs.rax = static_cast<uint64_t>(mu::status_value(mu::Status::UnknownSyscall));
  return tcb_write_registers(proc->program.tcb, &regs) == 0;
}

void supervisor_kill(Proc* proc) {
  if (proc->program.pid == 0) return;
  print("init: %s (pid %lu) killed\n", proc->program.name, proc->program.pid);
  proc->exit_value = -1;
  finish(proc, ExitHow::Killed, 0);
}

int64_t supervisor_restart(Proc* proc) {
  if (proc->program.pid != 0) {
    print("init: stopping %s (pid %lu) for a restart\n", proc->program.name, proc->program.pid);
    end_instance(proc);
  }
  proc->attempt = 0;
  const int64_t r = proc_start(proc);
  if (r != 0) {
    start_failed(proc, r);
  } else {
    ++proc->restarts;
  }
  return r;
}

uint64_t supervisor_tick(uint64_t now_ns) {
  uint64_t next = 0;
  for (Proc& p : g_procs) {
    if (!p.used || p.state != ProcState::Restarting) continue;
    if (p.restart_at_ns <= now_ns) {
      ++p.restarts;
      const int64_t r = proc_start(&p);
      if (r != 0) start_failed(&p, r);
    }
    if (p.state == ProcState::Restarting && (next == 0 || p.restart_at_ns < next)) {
      next = p.restart_at_ns;
    }
  }
  return next;
}

bool supervisor_active() {
  for (const Proc& p : g_procs) {
    if (p.used && (p.program.pid != 0 || p.state == ProcState::Restarting)) return true;
  }
  return false;
}

void supervisor_set_run_end(RunEndHook hook) { g_run_end = hook; }
void supervisor_set_teardown(TeardownHook hook) { g_teardown = hook; }

}  // namespace init
