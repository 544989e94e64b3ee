// Choosing and describing the GOP video mode (UEFI 2.10 §12.9 Graphics Output Protocol).
#pragma once

#include "config.h"
#include "mu/bootinfo.h"

namespace muboot {

// Selects the mode per `setting`, switches to it if it differs from the current one and fills
// `out`. A missing GOP or a mode without a linear framebuffer is not an error: `out` is zeroed
// (format None) and a warning printed. Prints "video WxH" on success.
void setup_framebuffer(const VideoSetting& setting, mu::Framebuffer* out);

}  // namespace muboot
