// Exception entry stubs and the common entry path of all vectors: normalise the stack to an
// InterruptFrame (idt.h) and call C++.
// The CPU pushes an error code only for vectors 8, 10-14, 17, 21, 29, 30 (Intel SDM vol 3A
// §6.15); the others push a dummy 0 so every frame has the same layout.

#include "arch/x86_64/user_frame.inc"

    .text

.macro ISR_NO_ERROR vector
    .global isr_stub_\vector
    .type isr_stub_\vector, @function
isr_stub_\vector:
    pushq $0
    pushq $\vector
    jmp interrupt_common
    .size isr_stub_\vector, . - isr_stub_\vector
.endm

.macro ISR_ERROR vector
    .global isr_stub_\vector
    .type isr_stub_\vector, @function
isr_stub_\vector:
    pushq $\vector
    jmp interrupt_common
    .size isr_stub_\vector, . - isr_stub_\vector
.endm

ISR_NO_ERROR 0
ISR_NO_ERROR 1
ISR_NO_ERROR 2
ISR_NO_ERROR 3
ISR_NO_ERROR 4
ISR_NO_ERROR 5
ISR_NO_ERROR 6
ISR_NO_ERROR 7
ISR_ERROR 8
ISR_NO_ERROR 9
ISR_ERROR 10
ISR_ERROR 11
ISR_ERROR 12
ISR_ERROR 13
ISR_ERROR 14
ISR_NO_ERROR 15
ISR_NO_ERROR 16
ISR_ERROR 17
ISR_NO_ERROR 18
ISR_NO_ERROR 19
ISR_NO_ERROR 20
ISR_ERROR 21
ISR_NO_ERROR 22
ISR_NO_ERROR 23
ISR_NO_ERROR 24
ISR_NO_ERROR 25
ISR_NO_ERROR 26
ISR_NO_ERROR 27
ISR_NO_ERROR 28
ISR_ERROR 29
ISR_ERROR 30
ISR_NO_ERROR 31

// The one entry path for every vector (irq_stubs.S jumps here too). On entry from ring 3 (the
// saved CS has RPL 3) swapgs loads the kernel per-CPU GS base, and swapgs again right before
// iretq back to ring 3, so inside the kernel GS always holds the kernel value (Intel SDM vol 2B
// SWAPGS). An entry from ring 0 leaves GS alone: it is already the kernel's, except in the few
// instructions around swapgs in syscall_entry.S, which run with interrupts off and reach here
// only through NMI/#MC, whose handlers never use GS.
// Stack on arrival: vector at 0(%rsp), error code at 8, then the CPU's frame (rip 16, cs 24).
    .global interrupt_common
    .type interrupt_common, @function
interrupt_common:
    testb $3, 24(%rsp)
    jz 1f
    swapgs
1:
    // The CPU does not clear RFLAGS.AC on interrupt delivery: if the interrupt came in between
    // stac and clac (user_copy.S), the handler would run with SMAP open. clac is #UD without
    // SMAP, so it is guarded by the same flag the copy routines use.
    testb $1, user_copy_smap(%rip)
    jz 2f
    clac
2:
    PUSH_GENERAL_REGISTERS
    cld
    // 22 quadwords on a 16-aligned stack (the CPU aligns before pushing in 64-bit mode), so
    // rsp is 16-aligned here as the System V ABI requires at a call.
    movq %rsp, %rdi
    cmpq $32, 15*8(%rsp)          // InterruptFrame::vector
    jae 3f
    call exception_dispatch
    jmp 4f
3:  call irq_entry
    // Restores every register from the InterruptFrame at rsp and leaves with IRET. Also the way
    // a thread resumes from its saved user frame (first start, registers written, fault resume).
    .global interrupt_return
interrupt_return:
4:  POP_GENERAL_REGISTERS
    addq $16, %rsp                // vector and error code
    testb $3, 8(%rsp)             // returning to ring 3: give the user its GS base back
    jz 5f
    swapgs
5:  iretq
    .size interrupt_common, . - interrupt_common

    .section .rodata
    .balign 8
    .global isr_stub_table
isr_stub_table:
.irp vector, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .quad isr_stub_\vector
.endr

    .section .note.GNU-stack, "", @progbits
