// Entry stubs for interrupt vectors 32-255: push a zero error code and the vector, save the
// registers as an InterruptFrame (idt.h) and call irq_entry (interrupts.cc), then iretq.

    .text
    .altmacro

.macro IRQ_STUB vector
    .global irq_stub_\vector
    .type irq_stub_\vector, @function
irq_stub_\vector:
    pushq $0
    pushq $\vector
    jmp irq_common
    .size irq_stub_\vector, . - irq_stub_\vector
.endm

.set stub_index, 32
.rept 224
    IRQ_STUB %stub_index
    .set stub_index, stub_index + 1
.endr

    .type irq_common, @function
irq_common:
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    cld
    // As in isr.S: 22 quadwords on the CPU-aligned stack leave rsp 16-aligned for the call.
    movq %rsp, %rdi
    call irq_entry
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    addq $16, %rsp                // vector and error code
    iretq
    .size irq_common, . - irq_common

.macro IRQ_TABLE_ENTRY vector
    .quad irq_stub_\vector
.endm

    .section .rodata
    .balign 8
    .global irq_stub_table
irq_stub_table:
.set stub_index, 32
.rept 224
    IRQ_TABLE_ENTRY %stub_index
    .set stub_index, stub_index + 1
.endr

    .section .note.GNU-stack, "", @progbits
