// The console's screen: the GOP framebuffer (granted as Frame4K caps, mapped at
// kProgramDeviceBase), a banner line at the top and the shared text console (mu/text_console.h)
// below it, with a visible cursor.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mu/ipc.h"
#include "mu/psf.h"
#include "mu/text_console.h"

namespace console {

class Screen {
 public:
  // Maps the `count` framebuffer frames starting at slot `first_frame` (page tables come from
  // the program's untyped), draws the banner ("muOS console" and the resolution) and sets up
  // the text area. Mapping a framebuffer frame also ends the kernel's drawing on it. Returns
  // nullptr, or why there is no screen output.
  const char* init(const mu::FramebufferGeometry& fb, uint64_t first_frame, uint64_t count);
  [[nodiscard]] bool present() const { return present_; }

  void write(const char* data, size_t length) {
    if (present_) text_.write(data, length);
  }
  void set_colors(uint8_t foreground, uint8_t background) {
    if (present_) text_.set_colors(foreground, background);
  }
  // Draws what changed since the last render (the server calls it before it blocks).
  void render() {
    if (present_) text_.render();
  }

 private:
  mu::PsfFont font_;
  mu::TextConsole text_;
  bool present_ = false;
};

}  // namespace console
