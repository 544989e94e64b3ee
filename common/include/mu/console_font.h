// The console font embedded by common/src/console_font.S (the kernel's boot screen and the
// console server draw with the same PSF file).
#pragma once

#include <stddef.h>
#include <stdint.h>

extern "C" const uint8_t mu_console_font_start[], mu_console_font_end[];

namespace mu {

[[nodiscard]] inline const uint8_t* console_font_data() { return mu_console_font_start; }
[[nodiscard]] inline size_t console_font_size() {
  return static_cast<size_t>(mu_console_font_end - mu_console_font_start);
}

}  // namespace mu
