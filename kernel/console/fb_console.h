// Text console on a linear framebuffer: fixed cell grid, wrap, scroll by moving pixel rows.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "console/psf.h"
#include "lib/format.h"

namespace kernel {

// A 32-bit-per-pixel framebuffer the CPU can write (in the kernel: the HHDM alias).
struct FramebufferSurface {
  uint8_t* base;
  uint32_t width;
  uint32_t height;
  uint32_t pitch;  // bytes per scan line
  // Bit positions of 8-bit channels inside a pixel: Rgbx = 0/8/16, Bgrx = 16/8/0.
  uint8_t red_shift;
  uint8_t green_shift;
  uint8_t blue_shift;
};

struct Rgb {
  uint8_t r, g, b;
};

class FramebufferConsole {
 public:
  // `top` pixel rows are reserved (the banner) and never scrolled. Returns false if the surface
  // cannot hold a single character cell.
  [[nodiscard]] bool init(const FramebufferSurface& surface, const PsfFont& font, uint32_t top);

  void set_colors(Rgb foreground, Rgb background);
  void write(const char* data, size_t length);
  [[nodiscard]] OutputSink sink();

  // Drawing used by the banner; coordinates are clipped to the surface.
  void fill_rect(uint32_t x, uint32_t y, uint32_t w, uint32_t h, Rgb color);
  void draw_text(uint32_t x, uint32_t y, const char* text, Rgb foreground, Rgb background,
                 uint32_t scale = 1);

  [[nodiscard]] uint32_t columns() const { return columns_; }
  [[nodiscard]] uint32_t rows() const { return rows_; }
  [[nodiscard]] uint32_t cursor_column() const { return column_; }
  [[nodiscard]] uint32_t cursor_row() const { return row_; }

 private:
  [[nodiscard]] uint32_t pixel(Rgb color) const;
  void draw_glyph(uint32_t x, uint32_t y, uint32_t codepoint, uint32_t fg, uint32_t bg,
                  uint32_t scale);
  void put_char(char c);
  void new_line();

  FramebufferSurface surface_{};
  const PsfFont* font_ = nullptr;
  uint32_t top_ = 0;
  uint32_t columns_ = 0;
  uint32_t rows_ = 0;
  uint32_t column_ = 0;
  uint32_t row_ = 0;
  uint32_t foreground_ = 0;
  uint32_t background_ = 0;
};

}  // namespace kernel
