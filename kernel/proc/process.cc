// init's process (loading, exit), thread exits and the report of user faults.
#include "proc/process.h"

#include "arch/x86_64/idt.h"
#include "debug/panic.h"
#include "ipc/ipc.h"
#include "lib/print.h"
#include "mu/ipc.h"
#include "object/tcb.h"
#include "proc/loader.h"
#include "sched/scheduler.h"

namespace kernel::proc {
namespace {

Process g_init;
BootHandoff g_handoff;
void (*g_on_init_exit)(int64_t) = nullptr;

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

void init(const BootHandoff& handoff, void (*on_init_exit)(int64_t code)) {
  g_handoff = handoff;
  g_on_init_exit = on_init_exit;
}

const BootHandoff& boot_handoff() { return g_handoff; }

Process* load_init(StringView path, mu::Status* status, mm::AddressSpace space) {
  const uint8_t* image = nullptr;
  size_t size = 0;
  if (g_handoff.initrd == nullptr ||
      !find_initrd_file(g_handoff.initrd, g_handoff.initrd_size, path, &image, &size)) {
    *status = mu::Status::NotFound;
    return nullptr;
  }
  g_init = Process{};
  g_init.space = space;
  set_name(&g_init, path);
  *status = load_elf(image, size, &g_init);
  return *status == mu::Status::Ok ? &g_init : nullptr;
}

void attach_init_thread(Process* process, sched::Thread* thread) {
  process->thread = thread;
  process->pid = kInitPid;
  thread->process = process;
  thread->cr3 = process->space.root();
}

Process* current_process() { return sched::current()->process; }

void exit_thread(int64_t code) {
  sched::Thread* self = sched::current();
  Process* process = self->process;
  if (process == nullptr) {
    // Every thread that makes syscalls but init's lives in a TCB (idle never does).
    if (self->tcb == nullptr) panic("thread exit from a thread without a TCB");
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
  // init: the system ends. Dead first, so that nothing can requeue this thread; its memory stays
  // where it is (freeing it would gain nothing, and its VSpace may hold page tables made from
  // untyped memory, which are not the kernel's to free).
  self->state = sched::ThreadState::Dead;
  if (g_on_init_exit != nullptr) g_on_init_exit(code);
  sched::exit_current();
}

void exit_process(int64_t code) {
  // The kernel knows no processes but init, which has one thread: ending the process is ending
  // the calling thread (a program's other threads are init's to stop).
  exit_thread(code);
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
  if (process == nullptr) panic("user fault in a thread without a TCB");
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
