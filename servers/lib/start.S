// _start for muOS user programs: read the TSC first (boot-to-init benchmark), gather the entry
// registers (mu/syscall.h "How a program starts") into a StartInfo and call mu_main.
    .section .text.start, "ax"
    .global _start
    .type _start, @function
_start:
    movq %rdx, %r11               // rdtsc overwrites rdx (init: the initrd size)
    rdtsc
    shlq $32, %rdx
    orq %rax, %rdx
    andq $-16, %rsp
    // StartInfo (mu_user.h), built on the stack: 7 quadwords + padding = 64 bytes.
    subq $64, %rsp
    movq %rdi, 0(%rsp)            // arg
    movq %rsi, 8(%rsp)            // initrd base
    movq %r11, 16(%rsp)           // initrd size
    movq %rcx, 24(%rsp)           // cmdline
    movq %r8, 32(%rsp)            // cmdline length
    movq %r9, 40(%rsp)            // kernel_tsc
    movq %rdx, 48(%rsp)           // start_tsc
    movq %rsp, %rdi
    xorl %ebp, %ebp
    call mu_main
    movq %rax, %rdi
    movl $6, %eax                 // mu::Sys::ProcessExit
    syscall
    ud2
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
