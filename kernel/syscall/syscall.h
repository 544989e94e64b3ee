// System-call dispatch: the register frame syscall_entry.S builds and the handler table.
#pragma once

#include <stdint.h>

#include "arch/x86_64/idt.h"
#include "mu/syscall.h"

namespace kernel::syscall {

// syscall_entry.S saves the full user register set in the interrupt-frame layout (rax = number on
// entry, result on return), at the top of the thread's kernel stack; vector = kSyscallVector.
using SyscallFrame = x86::InterruptFrame;
inline constexpr uint64_t kSyscallVector = 0x100;

// The six arguments in ABI order (rdi, rsi, rdx, r10, r8, r9): the first six words of the
// frame itself (idt.h orders them so), so dispatch copies nothing. frame() is the whole frame, for
// calls that read or return more registers (IPC: r12, r13 in; rdi..r9 out).
struct SyscallArgs {
  uint64_t a0, a1, a2, a3, a4, a5;

  [[nodiscard]] SyscallFrame* frame() const {
    return reinterpret_cast<SyscallFrame*>(const_cast<SyscallArgs*>(this));
  }
  [[nodiscard]] static const SyscallArgs& of(const SyscallFrame* frame) {
    return *reinterpret_cast<const SyscallArgs*>(frame);
  }
};
static_assert(__builtin_offsetof(SyscallFrame, rdi) == 0 &&
              __builtin_offsetof(SyscallFrame, r9) == 5 * sizeof(uint64_t));

// Every handler validates every argument it uses before acting, and returns a value >= 0 or a
// negative mu::Status.
using Handler = int64_t (*)(const SyscallArgs& args);

// Handlers, one file per family.
int64_t sys_null(const SyscallArgs& args);
int64_t sys_debug_write(const SyscallArgs& args);
int64_t sys_yield(const SyscallArgs& args);
int64_t sys_sleep_ns(const SyscallArgs& args);
int64_t sys_clock_ns(const SyscallArgs& args);
int64_t sys_thread_exit(const SyscallArgs& args);
int64_t sys_process_exit(const SyscallArgs& args);
int64_t sys_get_pid(const SyscallArgs& args);

// Capability space and retype (sys_cap.cc).
int64_t sys_cap_copy(const SyscallArgs& args);
int64_t sys_cap_mint(const SyscallArgs& args);
int64_t sys_cap_move(const SyscallArgs& args);
int64_t sys_cap_delete(const SyscallArgs& args);
int64_t sys_cap_revoke(const SyscallArgs& args);
int64_t sys_cap_identify(const SyscallArgs& args);
int64_t sys_cap_identify_in(const SyscallArgs& args);
int64_t sys_untyped_retype(const SyscallArgs& args);

// Threads (sys_tcb.cc).
int64_t sys_tcb_configure(const SyscallArgs& args);
int64_t sys_tcb_set_priority(const SyscallArgs& args);
int64_t sys_tcb_set_mcp(const SyscallArgs& args);
int64_t sys_tcb_read_registers(const SyscallArgs& args);
int64_t sys_tcb_write_registers(const SyscallArgs& args);
int64_t sys_tcb_resume(const SyscallArgs& args);
int64_t sys_tcb_suspend(const SyscallArgs& args);
int64_t sys_tcb_get_info(const SyscallArgs& args);

// IPC and notifications (sys_ipc.cc). They write their outputs into args.frame.
int64_t sys_send(const SyscallArgs& args);
int64_t sys_nb_send(const SyscallArgs& args);
int64_t sys_recv(const SyscallArgs& args);
int64_t sys_nb_recv(const SyscallArgs& args);
int64_t sys_call(const SyscallArgs& args);
int64_t sys_reply(const SyscallArgs& args);
int64_t sys_reply_recv(const SyscallArgs& args);
int64_t sys_signal(const SyscallArgs& args);
int64_t sys_ntfn_wait(const SyscallArgs& args);
int64_t sys_ntfn_poll(const SyscallArgs& args);
int64_t sys_tcb_bind_notification(const SyscallArgs& args);
int64_t sys_tcb_unbind_notification(const SyscallArgs& args);

// Address spaces (sys_vspace.cc).
int64_t sys_page_table_map(const SyscallArgs& args);
int64_t sys_page_table_unmap(const SyscallArgs& args);
int64_t sys_frame_map(const SyscallArgs& args);
int64_t sys_frame_unmap(const SyscallArgs& args);
int64_t sys_frame_remap(const SyscallArgs& args);
int64_t sys_frame_address(const SyscallArgs& args);

// Interrupts and I/O ports (sys_irq.cc).
int64_t sys_irq_control_get(const SyscallArgs& args);
int64_t sys_irq_handler_set_notification(const SyscallArgs& args);
int64_t sys_irq_handler_ack(const SyscallArgs& args);
int64_t sys_io_port_issue(const SyscallArgs& args);
int64_t sys_tcb_set_io_ports(const SyscallArgs& args);

// Numbers with no call behind them (gaps in mu::Sys): UnknownSyscall.
int64_t sys_unknown(const SyscallArgs& args);

}  // namespace kernel::syscall

extern "C" void syscall_dispatch(kernel::syscall::SyscallFrame* frame);
