// SYSCALL entry and the two ways back to user mode (SYSRET, IRET). AMD APM vol 2 §6.1.1,
// Intel SDM vol 2B SYSCALL/SYSRET. On entry: rcx = user rip, r11 = user rflags, IF = 0 (SFMASK),
// rsp and GS base still the user's.

#include "arch/x86_64/user_frame.inc"

#define PERCPU_KERNEL_RSP 8
#define PERCPU_USER_RSP 16
#define USER_CS 0x23
#define USER_SS 0x1b
#define SYSCALL_VECTOR 0x100         // InterruptFrame::vector of a syscall (kSyscallVector)
#define SYS_CALL 34                  // mu::Sys::Call
#define SYS_REPLY_RECV 36            // mu::Sys::ReplyRecv
#define SYS_SIGNAL 37                // mu::Sys::Signal

    .text
    .global syscall_entry
    .type syscall_entry, @function
syscall_entry:
    swapgs
    movq %rsp, %gs:PERCPU_USER_RSP
    movq %gs:PERCPU_KERNEL_RSP, %rsp
    // The same frame an interrupt from user mode builds (x86::InterruptFrame, idt.h), so a
    // thread's user registers are always at the top of its kernel stack in one layout
    // (TcbReadRegisters, fault messages, resuming a thread through interrupt_return).
    pushq $USER_SS
    pushq %gs:PERCPU_USER_RSP
    pushq %r11                    // rflags
    pushq $USER_CS
    pushq %rcx                    // rip
    pushq $0                      // error code
    pushq $SYSCALL_VECTOR
    PUSH_GENERAL_REGISTERS
    // No cld: SFMASK clears DF on SYSCALL (percpu.cc kSyscallFlagMask).
    movq %rsp, %rdi               // 22 quadwords below a 16-aligned top: still aligned
    // The IPC fast paths (kernel/ipc/fastpath.h) for Call, ReplyRecv and Signal: they do not
    // return when they apply; otherwise the call continues through the dispatcher.
    cmpq $SYS_CALL, %rax
    je 8f
    cmpq $SYS_REPLY_RECV, %rax
    je 9f
    cmpq $SYS_SIGNAL, %rax
    je 5f
7:  call syscall_dispatch
    .global syscall_return
syscall_return:
    POP_GENERAL_REGISTERS sysret=1
    addq $16, %rsp                // vector and error code
    // SYSRET with a non-canonical rcx faults in ring 0 on Intel CPUs with the user's rsp
    // (CVE-2012-0217): such returns take the IRET path, which faults in user mode instead.
    movq (%rsp), %rcx
    movq %rcx, %r11
    shlq $16, %r11
    sarq $16, %r11
    cmpq %rcx, %r11
    jne 1f
    movq 16(%rsp), %r11           // user rflags
    movq 24(%rsp), %rsp           // user rsp
    swapgs
    sysretq
1:  xorl %ecx, %ecx
    xorl %r11d, %r11d
    swapgs
    iretq
5:  call ipc_fastpath_signal
    jmp 6f
8:  call ipc_fastpath_call
    jmp 6f
9:  call ipc_fastpath_reply_recv
6:  movq %rsp, %rdi
    jmp 7b
    .size syscall_entry, . - syscall_entry

    .section .note.GNU-stack, "", @progbits
