// The IPC fast path's switch (kernel/ipc/fastpath.cc).

    .text
// [[noreturn]] void fastpath_switch(uint64_t* prev_saved_rsp, void* prev_frame, void* next_frame)
// Moves to the partner's user frame and returns to user mode with it. The previous thread's
// kernel stack is free from here on: below its user frame we build the frame context_switch
// pops (r15 r14 r13 r12 rbx rbp rflags, return address), so the scheduler can later resume it
// like any switched-out thread; it then leaves through syscall_return with its (by then
// completed) user frame.
    .global fastpath_switch
    .type fastpath_switch, @function
fastpath_switch:
    movq %rdx, %rsp
    leaq -64(%rsi), %rax
    movq $2, 48(%rax)             // rflags: IF clear (the kernel runs with interrupts off)
    leaq fastpath_resume(%rip), %rcx
    movq %rcx, 56(%rax)
    movq %rax, (%rdi)
    jmp syscall_return
    .size fastpath_switch, . - fastpath_switch

    .type fastpath_resume, @function
fastpath_resume:                  // rsp = the thread's user frame
    jmp syscall_return
    .size fastpath_resume, . - fastpath_resume

    .section .note.GNU-stack, "", @progbits
