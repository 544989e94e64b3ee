// The syscall table and dispatcher: unknown numbers are a fault or fail with UnknownSyscall.
#include "syscall/syscall.h"

#include "ipc/ipc.h"
#include "mu/ipc.h"
#include "object/tcb.h"
#include "sched/scheduler.h"

namespace kernel::syscall {
namespace {

constexpr Handler kTable[] = {
    sys_null,          // Null
    sys_debug_write,   // DebugWrite
    sys_yield,         // Yield
    sys_sleep_ns,      // SleepNs
    sys_clock_ns,      // ClockNs
    sys_thread_exit,   // ThreadExit
    sys_process_exit,  // ProcessExit
    sys_unknown,       // 7: retired (Spawn)
    sys_unknown,       // 8: retired (Wait)
    sys_get_pid,       // GetPid
    // 10..19: capability space
    sys_cap_copy,
    sys_cap_mint,
    sys_cap_move,
    sys_cap_delete,
    sys_cap_revoke,
    sys_cap_identify,
    sys_untyped_retype,
    sys_cap_identify_in,
    sys_tcb_get_info,
    sys_unknown,
    // 20..29: threads
    sys_tcb_configure,
    sys_tcb_set_priority,
    sys_tcb_set_mcp,
    sys_tcb_read_registers,
    sys_tcb_write_registers,
    sys_tcb_resume,
    sys_tcb_suspend,
    sys_tcb_bind_notification,
    sys_tcb_unbind_notification,
    sys_tcb_set_io_ports,
    // 30..39: IPC and notifications
    sys_send,
    sys_nb_send,
    sys_recv,
    sys_nb_recv,
    sys_call,
    sys_reply,
    sys_reply_recv,
    sys_signal,
    sys_ntfn_wait,
    sys_ntfn_poll,
    // 40..49: address spaces
    sys_page_table_map,
    sys_page_table_unmap,
    sys_frame_map,
    sys_frame_unmap,
    sys_frame_remap,
    sys_frame_address,
    sys_unknown,
    sys_unknown,
    sys_unknown,
    sys_unknown,
    // 50..53: interrupts and I/O ports
    sys_irq_control_get,
    sys_irq_handler_set_notification,
    sys_irq_handler_ack,
    sys_io_port_issue,
};
static_assert(sizeof(kTable) / sizeof(kTable[0]) == static_cast<uint64_t>(mu::Sys::Count));

// A number with no call behind it. A TCB thread with a fault endpoint sends a fault message
// (kFaultUnknownSyscall) so a handler can emulate the call; when it lets the thread resume, every
// register of the (possibly rewritten) frame is restored, rax included. Otherwise the call fails
// with UnknownSyscall.
void unknown_syscall(SyscallFrame* frame) {
  sched::Thread* self = sched::current();
  if (self->tcb != nullptr) {
    self->fault_pending = true;
    const bool resume =
        ipc::deliver_fault(self, mu::kFaultUnknownSyscall, frame->rip, frame->rax, 0);
    self->fault_pending = false;
    if (resume) object::tcb_return_to_user(self);
  }
  frame->rax = static_cast<uint64_t>(mu::status_value(mu::Status::UnknownSyscall));
}

}  // namespace

// The gaps in mu::Sys. The frame's rax still holds the number (the result is stored after the
// handler returns).
int64_t sys_unknown(const SyscallArgs& args) {
  unknown_syscall(args.frame());
  return static_cast<int64_t>(args.frame()->rax);
}

}  // namespace kernel::syscall

extern "C" void syscall_dispatch(kernel::syscall::SyscallFrame* frame) {
  using namespace kernel::syscall;
  const uint64_t number = frame->rax;
  if (number >= static_cast<uint64_t>(mu::Sys::Count)) {
    unknown_syscall(frame);
    return;
  }
  frame->rax = static_cast<uint64_t>(kTable[number](SyscallArgs::of(frame)));
}
