// Kernel context switch and the first instructions of a new kernel thread (System V ABI: only
// rbx, rbp, r12-r15 survive a call, so only they and RFLAGS are saved on the switched stacks).

    .text

// void context_switch(uint64_t* save_rsp, uint64_t next_rsp)
// Saves the callee-saved registers and RFLAGS (and with it IF) on the current stack, stores rsp
// in *save_rsp, then resumes the thread whose stack pointer is next_rsp.
    .global context_switch
    .type context_switch, @function
context_switch:
    pushfq
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    popfq
    ret
    .size context_switch, . - context_switch

// First code of every thread: thread.cc prepared a switch frame with the entry function in r12
// and its argument in r13.
    .global thread_trampoline
    .type thread_trampoline, @function
thread_trampoline:
    xorl %ebp, %ebp               // ends backtraces
    andq $-16, %rsp
    movq %r12, %rdi
    movq %r13, %rsi
    call thread_start             // never returns
    ud2
    .size thread_trampoline, . - thread_trampoline

// First code of a TCB thread that restarts from its user frame (object/tcb.cc builds the switch
// frame with the user frame's address in r12): what switch_to does after context_switch, then
// every register restored from the frame.
    .global tcb_user_trampoline
    .type tcb_user_trampoline, @function
tcb_user_trampoline:
    movq %r12, %rsp
    xorl %ebp, %ebp
    call tcb_finish_switch
    jmp interrupt_return
    .size tcb_user_trampoline, . - tcb_user_trampoline

// [[noreturn]] void tcb_frame_return(InterruptFrame* frame): back to user mode through `frame`.
    .global tcb_frame_return
    .type tcb_frame_return, @function
tcb_frame_return:
    movq %rdi, %rsp
    jmp interrupt_return
    .size tcb_frame_return, . - tcb_frame_return

    .section .note.GNU-stack, "", @progbits
