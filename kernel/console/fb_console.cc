// Framebuffer text console.
#include "console/fb_console.h"

namespace kernel {

bool FramebufferConsole::init(const FramebufferSurface& surface, const PsfFont& font, uint32_t top) {
  if (font.width() == 0 || font.height() == 0 || surface.height <= top ||
      surface.pitch < static_cast<uint64_t>(surface.width) * 4) {
    return false;
  }
  surface_ = surface;
  font_ = &font;
  top_ = top;
  columns_ = surface.width / font.width();
  rows_ = (surface.height - top) / font.height();
  column_ = 0;
  row_ = 0;
  if (columns_ == 0 || rows_ == 0) return false;
  set_colors({0xC0, 0xC0, 0xC0}, {0, 0, 0});
  return true;
}

void FramebufferConsole::set_colors(Rgb foreground, Rgb background) {
  foreground_ = pixel(foreground);
  background_ = pixel(background);
}

uint32_t FramebufferConsole::pixel(Rgb color) const {
  return static_cast<uint32_t>(color.r) << surface_.red_shift |
         static_cast<uint32_t>(color.g) << surface_.green_shift |
         static_cast<uint32_t>(color.b) << surface_.blue_shift;
}

void FramebufferConsole::fill_rect(uint32_t x, uint32_t y, uint32_t w, uint32_t h, Rgb color) {
  if (x >= surface_.width || y >= surface_.height) return;
  if (w > surface_.width - x) w = surface_.width - x;
  if (h > surface_.height - y) h = surface_.height - y;
  const uint32_t value = pixel(color);
  for (uint32_t row = y; row < y + h; ++row) {
    auto* line = reinterpret_cast<uint32_t*>(surface_.base + static_cast<size_t>(row) * surface_.pitch);
    for (uint32_t col = x; col < x + w; ++col) line[col] = value;
  }
}

void FramebufferConsole::draw_glyph(uint32_t x, uint32_t y, uint32_t codepoint, uint32_t fg,
                                    uint32_t bg, uint32_t scale) {
  const uint8_t* bitmap = font_->glyph(codepoint);
  const uint32_t stride = font_->bytes_per_row();
  for (uint32_t gy = 0; gy < font_->height() * scale; ++gy) {
    const uint32_t py = y + gy;
    if (py >= surface_.height) break;
    const uint8_t* bits = bitmap + (gy / scale) * stride;
    auto* line = reinterpret_cast<uint32_t*>(surface_.base + static_cast<size_t>(py) * surface_.pitch);
    for (uint32_t gx = 0; gx < font_->width() * scale; ++gx) {
      const uint32_t px = x + gx;
      if (px >= surface_.width) break;
      const uint32_t bit = gx / scale;
      const bool on = (bits[bit / 8] & (0x80u >> (bit % 8))) != 0;
      line[px] = on ? fg : bg;
    }
  }
}

void FramebufferConsole::draw_text(uint32_t x, uint32_t y, const char* text, Rgb foreground,
                                   Rgb background, uint32_t scale) {
  const uint32_t fg = pixel(foreground);
  const uint32_t bg = pixel(background);
  for (; *text != '\0'; ++text) {
    draw_glyph(x, y, static_cast<uint8_t>(*text), fg, bg, scale);
    x += font_->width() * scale;
  }
}

void FramebufferConsole::new_line() {
  column_ = 0;
  if (row_ + 1 < rows_) {
    ++row_;
    return;
  }
  // Scroll the text area up one cell row; the banner above `top_` stays.
  const size_t line_bytes = static_cast<size_t>(surface_.pitch) * font_->height();
  uint8_t* area = surface_.base + static_cast<size_t>(top_) * surface_.pitch;
  __builtin_memmove(area, area + line_bytes, line_bytes * (rows_ - 1));
  fill_rect(0, top_ + (rows_ - 1) * font_->height(), surface_.width, font_->height(),
            Rgb{static_cast<uint8_t>(background_ >> surface_.red_shift),
                static_cast<uint8_t>(background_ >> surface_.green_shift),
                static_cast<uint8_t>(background_ >> surface_.blue_shift)});
}

void FramebufferConsole::put_char(char c) {
  switch (c) {
    case '\n': new_line(); return;
    case '\r': column_ = 0; return;
    case '\t':
      do put_char(' '); while (column_ % 8 != 0);
      return;
    default: break;
  }
  if (column_ >= columns_) new_line();
  draw_glyph(column_ * font_->width(), top_ + row_ * font_->height(), static_cast<uint8_t>(c),
             foreground_, background_, 1);
  ++column_;
}

void FramebufferConsole::write(const char* data, size_t length) {
  if (font_ == nullptr) return;
  for (size_t i = 0; i < length; ++i) put_char(data[i]);
}

OutputSink FramebufferConsole::sink() {
  return OutputSink{[](void* context, const char* data, size_t length) {
                      static_cast<FramebufferConsole*>(context)->write(data, length);
                    },
                    this};
}

}  // namespace kernel
