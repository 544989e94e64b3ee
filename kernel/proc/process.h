// Processes: an address space, its threads (one for now), exit status and the parent's wait.
// Until the capability issue brings fault endpoints, a faulting thread is stopped and reported.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/user_entry.h"
#include "lib/string.h"
#include "mm/memory.h"
#include "mu/syscall.h"
#include "sched/thread.h"

namespace kernel::proc {

inline constexpr size_t kMaxProcesses = 32;
inline constexpr size_t kProcessNameMax = 32;
inline constexpr size_t kMaxRanges = 20;

enum class ProcessState : uint8_t { Free, Live, Exited };

// A user-half range the process maps; `owned` ranges hold frames freed with the process.
struct MappedRange {
  uint64_t base = 0;
  uint64_t pages = 0;
  bool owned = false;
};

struct Process {
  uint32_t pid = 0;
  uint32_t parent_pid = 0;
  ProcessState state = ProcessState::Free;
  char name[kProcessNameMax] = {};
  mm::AddressSpace space;
  sched::Thread* thread = nullptr;
  uint32_t live_threads = 0;
  int64_t exit_code = 0;
  sched::Thread* waiter = nullptr;  // a thread blocked in Wait on this process
  x86::UserEntry entry{};
  MappedRange ranges[kMaxRanges];
  size_t range_count = 0;
};

// What init is given (mu/syscall.h "How a program starts").
struct BootHandoff {
  const uint8_t* initrd = nullptr;  // kernel (HHDM) view
  uint64_t initrd_phys = 0;
  uint64_t initrd_size = 0;
  StringView cmdline;
  uint64_t kernel_tsc = 0;
};

// Remembers the initrd and what init gets; `on_init_exit` runs when init's process ends.
void init(const BootHandoff& handoff, void (*on_init_exit)(int64_t code));

// Loads `path` from the initrd into a new process with one ready thread at `priority`.
// Returns the pid (> 0) or a negative mu::Status.
[[nodiscard]] int64_t spawn(StringView path, sched::Priority priority, uint64_t arg,
                            uint32_t parent_pid);

// For the root task (proc/root_task.cc): load into a given address space, attach a thread that
// lives in a TCB object, and make it the process whose exit ends the system.
[[nodiscard]] Process* load(StringView path, mu::Status* status, mm::AddressSpace space);
void attach_thread(Process* process, sched::Thread* thread, uint32_t parent_pid);
void set_init_pid(uint32_t pid);
[[nodiscard]] const BootHandoff& boot_handoff();

[[nodiscard]] Process* current_process();

// Ends the calling thread; the process ends with `code` when its last thread does. A TCB thread
// of no process prints `thread exit: tcb=N code=C` and becomes Inactive; resumed without new
// registers, its ThreadExit returns 0.
[[noreturn]] void exit_thread(int64_t code);
// Ends the calling process.
[[noreturn]] void exit_process(int64_t code);
// Blocks until child `pid` has ended; returns its exit code or a negative mu::Status.
[[nodiscard]] int64_t wait(uint64_t pid);

// A CPU exception in user mode of the running thread. A thread that lives in a TCB sends it to
// its fault endpoint (ipc::deliver_fault; mu/ipc.h kFaultPage with the address and error code,
// kFaultException with the vector) and returns when the handler lets it resume. Without a fault
// endpoint a TCB thread of no process reports `user fault: tcb=N name=... #XX addr=... rip=...`
// and becomes Inactive (this returns if it is resumed: the instruction is retried); a thread of a
// process (the ones `spawn` creates, and init) reports `user fault: pid=N name=... #XX ...` and
// ends its process with mu::kExitFaultBase + vector.
void user_fault(uint64_t vector, uint64_t error_code, uint64_t fault_addr, uint64_t rip);

}  // namespace kernel::proc
