// The framebuffer side of boot: font, console and the banner.
#pragma once

#include <stddef.h>

#include "mu/bootinfo.h"

namespace kernel {

// Sets up the framebuffer console (if BootInfo has a usable framebuffer), draws the banner with
// `found` as its second line and registers the console with the print API. Returns a reason
// string when there is no screen output, nullptr on success.
[[nodiscard]] const char* boot_screen_init(const mu::BootInfo& info, const char* found);

}  // namespace kernel
