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

// bool kernel_probe_write(uint64_t addr): writes back the byte at kernel address `addr`; returns
// 1 if that worked, 0 after a page fault. For the self test that read-only kernel pages are
// write-protected (CR0.WP); its entry is in kernel_probe_fixups, honoured for any address.
    .global kernel_probe_write
    .type kernel_probe_write, @function
kernel_probe_write:
    movb (%rdi), %al
.Lkprobe_insn:
    movb %al, (%rdi)
    movl $1, %eax
    ret
.Lkprobe_fixup:
    xorl %eax, %eax
    ret
    .size kernel_probe_write, . - kernel_probe_write

// bool kernel_probe_exec(uint64_t addr): calls `addr`, a user page expected to hold `ret`;
// returns 1 if it ran, 0 if fetching it faulted. For the self test that SMEP is in force. The
// fault is at the user address itself, so its entry in kernel_exec_probe_returns is keyed by
// the return address the call left on the stack.
    .global kernel_probe_exec
    .type kernel_probe_exec, @function
kernel_probe_exec:
    call *%rdi
.Lexec_return:
    movl $1, %eax
    ret
.Lexec_fixup:
    xorl %eax, %eax
    ret
    .size kernel_probe_exec, . - kernel_probe_exec

    .section .rodata
    .balign 8
    .global kernel_exec_probe_returns, kernel_exec_probe_returns_end
kernel_exec_probe_returns:
    .quad .Lexec_return, .Lexec_fixup
kernel_exec_probe_returns_end:

    .global kernel_probe_fixups, kernel_probe_fixups_end
kernel_probe_fixups:
    .quad .Lkprobe_insn, .Lkprobe_fixup
kernel_probe_fixups_end:

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
