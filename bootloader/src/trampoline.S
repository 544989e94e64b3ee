// The last loader code: switch to the kernel's page tables and jump to the kernel entry.
// It is identity-mapped in the new tables (page_tables.cc), so the fetch after "mov cr3" works.
//
// void mu_boot_trampoline(uint64_t cr3, uint64_t bootinfo_virt, uint64_t entry,
//                         uint64_t stack_top_virt)   -- System V ABI: rdi, rsi, rdx, rcx
// Position-independent: no absolute addresses, so the PE relocation never touches it.

    .text
    .balign 16
    .globl mu_boot_trampoline
    .globl mu_boot_trampoline_end
    .type mu_boot_trampoline, @function
mu_boot_trampoline:
    cli
    cld
    mov %rdi, %cr3             // Intel SDM vol 3A §4.5: also flushes non-global TLB entries
    mov %rcx, %rsp             // HHDM address of the boot stack; the old stack is unmapped now
    xor %ebp, %ebp             // ends frame-pointer walks
    pushq $0                   // fake return address: rsp % 16 == 8 as at a call
    mov %rsi, %rdi             // first argument: BootInfo at its HHDM address
    xor %esi, %esi
    jmp *%rdx
mu_boot_trampoline_end:
    .size mu_boot_trampoline, mu_boot_trampoline_end - mu_boot_trampoline

    .section .note.GNU-stack,"",@progbits
