// The console font, decompressed from Debian's console-setup fonts by the build (not committed).
// The build passes -Wa,-I<build dir> so .incbin finds kernel_font.psf there.
    .section .rodata
    .balign 16
    .global kernel_font_start
kernel_font_start:
    .incbin "kernel_font.psf"
    .global kernel_font_end
kernel_font_end:

    .section .note.GNU-stack, "", @progbits
