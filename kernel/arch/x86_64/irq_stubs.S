// Entry stubs for interrupt vectors 32-255: push a zero error code and the vector and join
// interrupt_common (isr.S), which saves an InterruptFrame (idt.h) and calls irq_entry.

    .text
    .altmacro

.macro IRQ_STUB vector
    .global irq_stub_\vector
    .type irq_stub_\vector, @function
irq_stub_\vector:
    pushq $0
    pushq $\vector
    jmp interrupt_common
    .size irq_stub_\vector, . - irq_stub_\vector
.endm

.set stub_index, 32
.rept 224
    IRQ_STUB %stub_index
    .set stub_index, stub_index + 1
.endr


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
