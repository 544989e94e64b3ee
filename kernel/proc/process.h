// init's process: the one program the kernel loads itself (at boot, proc/root_task.cc), whose
// exit ends the system. Every other program is built by init from untyped memory and is just
// TCB threads to the kernel; the kernel allocates nothing for them.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/string.h"
#include "mm/memory.h"
#include "mu/syscall.h"
#include "sched/thread.h"

namespace kernel::proc {

inline constexpr size_t kProcessNameMax = 32;
inline constexpr size_t kMaxRanges = 20;
inline constexpr uint32_t kInitPid = 1;

// A user-half range the process maps; `owned` ranges hold frames the loader allocated.
struct MappedRange {
  uint64_t base = 0;
  uint64_t pages = 0;
  bool owned = false;
};

struct Process {
  uint32_t pid = 0;
  char name[kProcessNameMax] = {};
  mm::AddressSpace space;
  sched::Thread* thread = nullptr;
  uint64_t entry_rip = 0;  // the ELF entry point
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
[[nodiscard]] const BootHandoff& boot_handoff();

// For the root task (proc/root_task.cc): loads `path` from the initrd into `space` (segments and
// stack, no thread yet) as init's process. Returns nullptr and sets *status on failure, having
// released what it allocated (not `space`).
[[nodiscard]] Process* load_init(StringView path, mu::Status* status, mm::AddressSpace space);
// Makes `thread` (init's, living in a TCB object) the thread of init's process, pid kInitPid.
void attach_init_thread(Process* process, sched::Thread* thread);

// init's process for its thread, nullptr for every other thread.
[[nodiscard]] Process* current_process();

// Ends the calling thread. init's ends the system (on_init_exit with `code`; its memory is not
// given back: nothing would use it). Any other thread lives in a TCB: it reports the exit to its
// fault endpoint (mu/ipc.h kFaultExit) and stays Inactive; without one it prints
// `thread exit: tcb=N code=C` and becomes Inactive; resumed without new registers, its
// ThreadExit returns 0.
[[noreturn]] void exit_thread(int64_t code);
// Ends the calling process: for a TCB thread of a program init built, the same as exit_thread
// (init, its fault handler, ends the rest of the program).
[[noreturn]] void exit_process(int64_t code);

// A CPU exception in user mode of the running thread. It goes to its fault endpoint
// (ipc::deliver_fault; mu/ipc.h kFaultPage with the address and error code, kFaultException with
// the vector) and this returns when the handler lets it resume. Without a fault endpoint a
// thread reports `user fault: tcb=N name=... #XX addr=... rip=...` and becomes Inactive (this
// returns if it is resumed: the instruction is retried); init's thread (which has none) reports
// `user fault: pid=1 name=init #XX ...` and ends init with mu::kExitFaultBase + vector.
void user_fault(uint64_t vector, uint64_t error_code, uint64_t fault_addr, uint64_t rip);

}  // namespace kernel::proc
