// Kernel entry from muboot and the GDT reload helper (boot protocol: docs NOTES §3).
// On entry: interrupts off, rdi = HHDM address of the BootInfo, CR3 = loader's tables,
// rsp/GDT/IDT still the firmware's and no longer mapped, so nothing may touch the stack yet.

#define KERNEL_STACK_SIZE (32 * 1024)

    .section .text.entry, "ax"
    .global _start
    .type _start, @function
_start:
    cli
    cld
    // The first thing measured: how long the hand-over took. rdtsc needs no stack.
    rdtsc
    shlq $32, %rdx
    orq %rdx, %rax
    movq %rax, %r12               // kernel_tsc (callee-saved across the calls below)
    movq %rdi, %r13               // BootInfo*
    movq $boot_stack_top, %rsp    // -mcmodel=kernel: symbols fit a sign-extended imm32
    xorl %ebp, %ebp               // terminates frame-pointer backtraces
                                  // (rsp is 16-aligned at each call, as System V requires)
    call arch_early_init          // own GDT, TSS, IDT
    movq %r13, %rdi
    movq %r12, %rsi
    call kernel_main
1:  cli
    hlt
    jmp 1b
    .size _start, . - _start

// void gdt_load(const DescriptorPointer* pointer, uint64_t code_selector, uint64_t data_selector)
// Loads the GDT and reloads all segment registers; CS can only change via a far transfer, so
// push selector:target and lretq (Intel SDM vol 3A §3.4.3).
    .text
    .global gdt_load
    .type gdt_load, @function
gdt_load:
    lgdt (%rdi)
    movw %dx, %ds
    movw %dx, %es
    movw %dx, %ss
    xorl %eax, %eax
    movw %ax, %fs
    movw %ax, %gs
    popq %rax                     // our return address
    pushq %rsi                    // new CS
    pushq %rax                    // return straight to the caller with the new CS
    lretq
    .size gdt_load, . - gdt_load

    .section .bss
    .balign 16
    .global boot_stack_bottom
boot_stack_bottom:
    .skip KERNEL_STACK_SIZE
    .global boot_stack_top
boot_stack_top:

    .section .note.GNU-stack, "", @progbits
