// The syscall table and dispatcher: unknown numbers fail with UnknownSyscall.
#include "syscall/syscall.h"

#include "ipc/fastpath.h"
#include "ipc/ipc.h"
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
    sys_spawn,         // Spawn
    sys_wait,          // Wait
    sys_get_pid,       // GetPid
    // 10..19: capability space
    sys_cap_copy,
    sys_cap_mint,
    sys_cap_move,
    sys_cap_delete,
    sys_cap_revoke,
    sys_cap_identify,
    sys_untyped_retype,
    sys_unknown,
    sys_unknown,
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

}  // namespace

// A thread with a fault endpoint gets a fault message (mr0 = the address after the SYSCALL
// instruction, where it resumes; mr1 = the number); when the handler lets it resume, its
// registers are returned as they are (rax as the handler left it).
int64_t sys_unknown(const SyscallArgs& a) {
  if (ipc::deliver_fault(sched::current(), mu::kFaultUnknownSyscall, a.frame->rip, a.frame->rax, 0))
    return static_cast<int64_t>(a.frame->rax);
  return mu::status_value(mu::Status::UnknownSyscall);
}

}  // namespace kernel::syscall

extern "C" void syscall_dispatch(kernel::syscall::SyscallFrame* frame) {
  using namespace kernel::syscall;
  const uint64_t number = frame->rax;
  // The IPC fast path returns only when it does not apply (ipc/fastpath.h).
  if (number == static_cast<uint64_t>(mu::Sys::Call)) kernel::ipc::fastpath_call(frame);
  if (number == static_cast<uint64_t>(mu::Sys::ReplyRecv)) kernel::ipc::fastpath_reply_recv(frame);
  if (number >= static_cast<uint64_t>(mu::Sys::Count)) {
    frame->rax = static_cast<uint64_t>(sys_unknown(SyscallArgs{0, 0, 0, 0, 0, 0, frame}));
    return;
  }
  const SyscallArgs args{frame->rdi, frame->rsi, frame->rdx, frame->r10,
                         frame->r8,  frame->r9,  frame};
  frame->rax = static_cast<uint64_t>(kTable[number](args));
}
