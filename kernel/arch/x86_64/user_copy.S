// User-memory access routines. Every instruction here that may touch a user address is listed
// in user_copy_fixups; a kernel-mode #PF at one of them resumes at its fix-up, which returns 0.
// With SMAP on, user pages are only reachable between stac and clac (Intel SDM vol 3A §4.6.1).

    .text

// Sets AC when SMAP is on (stac is #UD on CPUs without SMAP, hence the flag).
.macro USER_ACCESS_BEGIN
    testb $1, user_copy_smap(%rip)
    jz 10f
    stac
10:
.endm
.macro USER_ACCESS_END
    testb $1, user_copy_smap(%rip)
    jz 11f
    clac
11:
.endm

// bool user_copy_raw(void* dst, const void* src, size_t len): rdi, rsi, rdx. Either side may be
// a user address (the caller checked the range); returns 1, or 0 after a fault.
    .global user_copy_raw
    .type user_copy_raw, @function
user_copy_raw:
    USER_ACCESS_BEGIN
    movq %rdx, %rcx
.Lcopy_insn:
    rep movsb
    USER_ACCESS_END
    movl $1, %eax
    ret
.Lcopy_fixup:
    USER_ACCESS_END
    xorl %eax, %eax
    ret
    .size user_copy_raw, . - user_copy_raw

// bool user_probe_read_no_stac(uint64_t addr): reads one byte at `addr` WITHOUT stac, so with
// SMAP on a user address faults. Only for the self test that SMAP is in force; returns 1 if the
// read worked, 0 after a fault.
    .global user_probe_read_no_stac
    .type user_probe_read_no_stac, @function
user_probe_read_no_stac:
.Lprobe_insn:
    movb (%rdi), %al
    movl $1, %eax
    ret
.Lprobe_fixup:
    xorl %eax, %eax
    ret
    .size user_probe_read_no_stac, . - user_probe_read_no_stac

    .section .rodata
    .balign 8
    .global user_copy_fixups, user_copy_fixups_end
// Pairs of (faulting instruction, where to resume).
user_copy_fixups:
    .quad .Lcopy_insn, .Lcopy_fixup
    .quad .Lprobe_insn, .Lprobe_fixup
user_copy_fixups_end:

    .section .data
    .global user_copy_smap
user_copy_smap:
    .byte 0

    .section .note.GNU-stack, "", @progbits
