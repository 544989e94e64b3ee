// The framebuffer side of boot: font, console and the banner.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mu/bootinfo.h"

namespace kernel {

// Sets up the framebuffer console (if BootInfo has a usable framebuffer), draws the banner with
// `found` as its second line and registers the console with the print API. Returns a reason
// string when there is no screen output, nullptr on success.
[[nodiscard]] const char* boot_screen_init(const mu::BootInfo& info, const char* found);

// Hand-over of the screen: the kernel draws its console until a program maps part of the
// framebuffer (FrameMap of a frame cap overlapping the BootInfo framebuffer range; the syscall
// calls this after every successful FrameMap with the frame's physical range). At the first such
// mapping the framebuffer console stops drawing for good (kernel output continues on the other
// consoles: serial) and `kernel: framebuffer handed to user space` is printed once. A later panic
// is reported on serial only: the kernel never draws over the program's screen again.
void boot_screen_frame_mapped(uint64_t phys, uint64_t bytes);
// True once the screen belongs to user space.
[[nodiscard]] bool boot_screen_handed_over();

}  // namespace kernel
