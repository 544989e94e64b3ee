// Process table, spawn/exit/wait, init start-up and the report of user faults.
#include "proc/process.h"

#include "arch/x86_64/idt.h"
#include "arch/x86_64/percpu.h"
#include "debug/panic.h"
#include "ipc/ipc.h"
#include "lib/print.h"
#include "mu/ipc.h"
#include "object/tcb.h"
#include "proc/loader.h"
#include "sched/scheduler.h"

namespace kernel::proc {
namespace {

Process g_processes[kMaxProcesses];
uint32_t g_next_pid = 1;
uint32_t g_init_pid = 0;
BootHandoff g_handoff;
void (*g_on_init_exit)(int64_t) = nullptr;

Process* find(uint64_t pid) {
  for (Process& p : g_processes) {
    if (p.state != ProcessState::Free && p.pid == pid) return &p;
  }
  return nullptr;
}

void set_name(Process* process, StringView path) {
  size_t start = 0;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '/') start = i + 1;
  }
  size_t n = 0;
  for (size_t i = start; i < path.size() && n + 1 < kProcessNameMax; ++i)
    process->name[n++] = path[i];
  process->name[n] = '\0';
}

void user_thread_main(void* arg) {
  Process* process = static_cast<Process*>(arg);
  enter_user(&process->entry);
}

// The process's last thread is gone: release its memory, wake a waiting parent, reap children
// nobody will wait for any more.
void finish_process(Process* process, int64_t code) {
  process->exit_code = code;
  process->state = ProcessState::Exited;
  unload(process);
  for (Process& child : g_processes) {
    if (child.parent_pid == process->pid && child.state == ProcessState::Exited) {
      child.state = ProcessState::Free;
    }
    if (child.parent_pid == process->pid) child.parent_pid = 0;
  }
  if (process->pid == g_init_pid && g_on_init_exit != nullptr) g_on_init_exit(code);
  if (process->parent_pid == 0) process->state = ProcessState::Free;
  if (process->waiter != nullptr) {
    sched::Thread* waiter = process->waiter;
    process->waiter = nullptr;
    sched::make_ready(waiter);
  }
}

// A TCB thread that has a fault endpoint reports its exit there (kFaultExit: mr0 = rip, mr1 =
// the exit code) and waits for the handler like for any fault. False, with nothing done, when it
// has no fault endpoint.
bool report_exit(sched::Thread* self, int64_t code) {
  self->exited = true;  // set first: the handler may try TcbResume while it waits
  self->fault_pending = true;
  const bool delivered = ipc::deliver_fault(self, mu::kFaultExit, self->user_frame()->rip,
                                            static_cast<uint64_t>(code), 0);
  self->fault_pending = false;
  if (!delivered) self->exited = false;
  return delivered;
}

}  // namespace

// Loads `path` into a free slot (address space, segments, stack) without a thread yet; into
// `space` when it is given (the root task's VSpace), into a new address space otherwise.
// Returns nullptr and sets *status on failure, having released everything.
Process* load(StringView path, mu::Status* status, mm::AddressSpace space) {
  const uint8_t* image = nullptr;
  size_t size = 0;
  if (g_handoff.initrd == nullptr ||
      !find_initrd_file(g_handoff.initrd, g_handoff.initrd_size, path, &image, &size)) {
    *status = mu::Status::NotFound;
    return nullptr;
  }
  Process* process = nullptr;
  for (Process& p : g_processes) {
    if (p.state == ProcessState::Free) {
      process = &p;
      break;
    }
  }
  if (process == nullptr) {
    *status = mu::Status::NoMemory;
    return nullptr;
  }
  *process = Process{};
  process->space = space;
  set_name(process, path);
  *status = load_elf(image, size, process);
  return *status == mu::Status::Ok ? process : nullptr;
}

namespace {

// Gives a loaded process its thread and makes it ready; false (process unloaded) if no thread.
bool start(Process* process, sched::Priority priority, uint32_t parent_pid) {
  sched::Thread* thread =
      sched::thread_create(process->name, user_thread_main, process, priority, process);
  if (thread == nullptr) {
    unload(process);
    return false;
  }
  attach_thread(process, thread, parent_pid);
  return true;
}

}  // namespace

void attach_thread(Process* process, sched::Thread* thread, uint32_t parent_pid) {
  process->thread = thread;
  thread->process = process;
  thread->cr3 = process->space.root();
  process->pid = g_next_pid++;
  process->parent_pid = parent_pid;
  process->live_threads = 1;
  process->state = ProcessState::Live;
}

void set_init_pid(uint32_t pid) { g_init_pid = pid; }

const BootHandoff& boot_handoff() { return g_handoff; }

void init(const BootHandoff& handoff, void (*on_init_exit)(int64_t code)) {
  g_handoff = handoff;
  g_on_init_exit = on_init_exit;
}

int64_t spawn(StringView path, sched::Priority priority, uint64_t arg, uint32_t parent_pid) {
  mu::Status status = mu::Status::Ok;
  Process* process = load(path, &status, mm::AddressSpace{});
  if (process == nullptr) return mu::status_value(status);
  process->entry.rdi = arg;
  if (!start(process, priority, parent_pid)) return mu::status_value(mu::Status::NoMemory);
  sched::make_ready(process->thread);
  return process->pid;
}

Process* current_process() { return sched::current()->process; }

void exit_thread(int64_t code) {
  Process* process = current_process();
  sched::Thread* self = sched::current();
  if (process == nullptr && self->tcb != nullptr) {
    if (report_exit(self, code)) {
      // Stays Inactive whatever the handler replied. TcbResume refuses it (Thread::exited) until
      // TcbWriteRegisters, which restarts it from the new frame and abandons this kernel stack,
      // so the suspend below does not return in practice.
      object::tcb_suspend(self->tcb);
      object::tcb_return_to_user(self);
    }
    kprintf("thread exit: tcb=%u code=%ld\n", self->id, code);
    object::tcb_suspend(self->tcb);  // returns only when resumed with its registers as they were
    self->user_frame()->rax = 0;
    object::tcb_return_to_user(self);
  }
  // Dead first, so that waking the parent below cannot preempt and requeue this thread.
  sched::current()->state = sched::ThreadState::Dead;
  if (process != nullptr && --process->live_threads == 0) finish_process(process, code);
  sched::exit_current();
}

void exit_process(int64_t code) {
  // One thread per process for now, so ending the process is ending its only thread.
  exit_thread(code);
}

int64_t wait(uint64_t pid) {
  Process* caller = current_process();
  Process* child = find(pid);
  if (child == nullptr) return mu::status_value(mu::Status::NotFound);
  if (caller == nullptr || child->parent_pid != caller->pid) {
    return mu::status_value(mu::Status::NotChild);
  }
  if (child->state == ProcessState::Live) {
    if (child->waiter != nullptr) return mu::status_value(mu::Status::InvalidArgument);
    child->waiter = sched::current();
    sched::block();
  }
  const int64_t code = child->exit_code;
  child->state = ProcessState::Free;
  return code;
}

namespace {

void report_tcb_fault(const sched::Thread* self, uint64_t vector, uint64_t error_code,
                      uint64_t fault_addr, uint64_t rip) {
  if (vector == 14) {
    kprintf("user fault: tcb=%u name=%s #PF addr=0x%lx rip=0x%lx error=0x%lx\n", self->id,
            self->name, fault_addr, rip, error_code);
  } else {
    kprintf("user fault: tcb=%u name=%s %s rip=0x%lx error=0x%lx\n", self->id, self->name,
            x86::exception_mnemonic(vector), rip, error_code);
  }
}

}  // namespace

void user_fault(uint64_t vector, uint64_t error_code, uint64_t fault_addr, uint64_t rip) {
  sched::Thread* self = sched::current();
  if (self->tcb != nullptr) {
    const bool page = vector == 14;
    self->fault_pending = true;
    const bool resume = ipc::deliver_fault(self, page ? mu::kFaultPage : mu::kFaultException, rip,
                                           page ? fault_addr : vector, error_code);
    self->fault_pending = false;
    if (resume) return;
    if (self->process == nullptr) {
      report_tcb_fault(self, vector, error_code, fault_addr, rip);
      object::tcb_suspend(self->tcb);
      return;
    }
  }
  Process* process = current_process();
  if (process == nullptr) panic("user fault without a process");
  if (vector == 14) {
    kprintf("user fault: pid=%u name=%s #PF addr=0x%lx rip=0x%lx error=0x%lx\n", process->pid,
            process->name, fault_addr, rip, error_code);
  } else {
    kprintf("user fault: pid=%u name=%s %s rip=0x%lx error=0x%lx\n", process->pid, process->name,
            x86::exception_mnemonic(vector), rip, error_code);
  }
  exit_process(mu::kExitFaultBase + static_cast<int64_t>(vector));
}

}  // namespace kernel::proc
