// init's process table and supervision: services from the manifest, programs started with `Run`
// and the kernel-core test programs; what happens when one ends (restart policy with backoff).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "manifest.h"
#include "mu/proto/init.h"
#include "program_builder.h"

namespace init {

enum class ProcKind : uint8_t { Service, Run, Test };

struct Proc {
  bool used = false;
  ProcKind kind = ProcKind::Service;
  ServiceSpec spec{};    // services: the manifest line; Run: a synthesized one (uses console)
  Program program{};     // program.pid != 0 while an instance exists
  // Zero until proc_new sets it, so the table is all zeros and lives in .bss (the kernel loads
  // .data page by page before init runs; see the boot_to_init benchmark).
  mu::proto::init::ProcState state{};
  uint32_t restarts = 0;  // restarts so far
  uint32_t attempt = 0;   // restarts since the last stable run
  uint64_t restart_at_ns = 0;
  uint64_t started_ns = 0;
  uint64_t run_reply = 0;  // Run: init's slot of the Reply object for the caller (0: none)
  // Test programs: how it ended (kernel-core tests wait for it).
  uint64_t last_pid = 0;  // the pid of the latest instance (program.pid is 0 after teardown)
  bool ended = false;
  int64_t exit_value = 0;  // exit code, or mu::kExitFaultBase + vector
};

inline constexpr size_t kMaxProcs = 32;

Proc* proc_at(size_t index);           // nullptr when out of range
Proc* proc_by_pid(uint64_t pid);       // a live instance
Proc* proc_by_name(const char* name, size_t len);  // a service by name
Proc* proc_new(ProcKind kind);         // a free entry, or nullptr
uint64_t next_pid();

// Builds the program of `proc` (its spec, or `request` when given) and logs the start.
int64_t proc_start(Proc* proc, const ProgramRequest* request = nullptr);

// Starts every service of the manifest text in dependency order.
void supervisor_start_services(const char* text, size_t length);

// A fault or exit message about `pid` (label and words as mu/ipc.h). The thread is stopped; this
// logs, tears the instance down and schedules the restart per policy.
void supervisor_on_fault(uint64_t pid, uint64_t label, const uint64_t* words);
// An unknown system call of a kernel-core test program is answered as the kernel answers one
// (rax = UnknownSyscall) and the program resumes: true when `pid` was handled so (the caller then
// replies with label 0). Other programs fault on it.
bool supervisor_emulate_unknown_syscall(uint64_t pid);
// Tears an instance down as if it failed (`kill`), then restarts it per policy.
void supervisor_kill(Proc* proc);
// Stops the instance (if any) and starts a new one at once.
int64_t supervisor_restart(Proc* proc);

// Restarts that are due; returns the time of the next one (0: none).
uint64_t supervisor_tick(uint64_t now_ns);

// True while some instance runs or a restart is pending.
bool supervisor_active();

// Run programs: reply to the caller when the program ends (set by requests.cc).
using RunEndHook = void (*)(Proc* proc, mu::proto::init::ExitHow how, int64_t code);
void supervisor_set_run_end(RunEndHook hook);
// Registrations to drop when an instance goes (set by name_service.cc).
using TeardownHook = void (*)(uint64_t pid);
void supervisor_set_teardown(TeardownHook hook);

// A readable name for an exception vector ("#PF", "#GP", ...).
const char* vector_name(uint64_t vector);

}  // namespace init
