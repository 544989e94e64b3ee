// The console font (Debian console-setup-linux, MU_KERNEL_FONT), decompressed by the build (not
// committed) and embedded in the kernel and the console server alike. Consumers pass
// -Wa,-I<MU_CONSOLE_FONT_DIR> so .incbin finds console_font.psf there.
    .section .rodata
    .balign 16
    .global mu_console_font_start
mu_console_font_start:
    .incbin "console_font.psf"
    .global mu_console_font_end
mu_console_font_end:

    .section .note.GNU-stack, "", @progbits
