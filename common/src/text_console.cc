// Framebuffer text console: the grid is the truth, pixels are a lazily refreshed view of it.
#include "mu/text_console.h"

namespace mu {
namespace {

// The classic VGA text palette (CGA intensities: 0x55 steps, brown instead of dark yellow).
constexpr Rgb kVgaPalette[kVgaColorCount] = {
    {0x00, 0x00, 0x00}, {0x00, 0x00, 0xAA}, {0x00, 0xAA, 0x00}, {0x00, 0xAA, 0xAA},
    {0xAA, 0x00, 0x00}, {0xAA, 0x00, 0xAA}, {0xAA, 0x55, 0x00}, {0xAA, 0xAA, 0xAA},
    {0x55, 0x55, 0x55}, {0x55, 0x55, 0xFF}, {0x55, 0xFF, 0x55}, {0x55, 0xFF, 0xFF},
    {0xFF, 0x55, 0x55}, {0xFF, 0x55, 0xFF}, {0xFF, 0xFF, 0x55}, {0xFF, 0xFF, 0xFF},
};

void store32(uint8_t* at, uint32_t value) { __builtin_memcpy(at, &value, sizeof(value)); }
void store64(uint8_t* at, uint64_t value) { __builtin_memcpy(at, &value, sizeof(value)); }

// `count` pixels of one colour, two per store, eight per loop trip (the first render clears
// whole text rows on the boot path, so loop overhead counts).
void fill_span(uint8_t* line, uint32_t count, uint32_t value) {
  const uint64_t pair = static_cast<uint64_t>(value) << 32 | value;
  uint32_t i = 0;
  for (; i + 7 < count; i += 8) {
    store64(line + i * 4, pair);
    store64(line + i * 4 + 8, pair);
    store64(line + i * 4 + 16, pair);
    store64(line + i * 4 + 24, pair);
  }
  for (; i + 1 < count; i += 2) store64(line + i * 4, pair);
  if (i < count) store32(line + i * 4, value);
}

}  // namespace

Rgb vga_rgb(uint8_t index) { return kVgaPalette[index % kVgaColorCount]; }

bool TextConsole::init(const FramebufferSurface& surface, const PsfFont& font,
                              uint32_t top) {
  if (font.width() == 0 || font.height() == 0 || font.width() > kMaxFontWidth ||
      surface.height <= top || surface.pitch < static_cast<uint64_t>(surface.width) * 4) {
    return false;
  }
  surface_ = surface;
  font_ = &font;
  top_ = top;
  columns_ = surface.width / font.width();
  rows_ = (surface.height - top) / font.height();
  if (columns_ > kMaxColumns) columns_ = kMaxColumns;
  if (rows_ > kMaxRows) rows_ = kMaxRows;
  column_ = 0;
  row_ = 0;
  first_row_ = 0;
  pairs_key_ = 0xFFFF;
  unrendered_lines_ = 0;
  cursor_visible_ = false;
  cursor_drawn_row_ = kNoRow;
  if (columns_ == 0 || rows_ == 0) {
    font_ = nullptr;
    return false;
  }
  for (uint32_t i = 0; i < kPaletteSize; ++i) palette_[i] = pixel(kVgaPalette[i]);
  set_colors(static_cast<uint8_t>(VgaColor::LightGrey), static_cast<uint8_t>(VgaColor::Black));
  // Every row starts dirty with unknown pixels, so the first render clears the text area.
  dirty_rows_ = 0;
  for (uint32_t r = 0; r < rows_; ++r) {
    clear_row(r);
    drawn_length_[r] = kUnknownWidth;
    row_dirty_[r] = false;
    mark_dirty(r);
  }
  return true;
}

uint32_t TextConsole::pixel(Rgb color) const {
  return static_cast<uint32_t>(color.r) << surface_.red_shift |
         static_cast<uint32_t>(color.g) << surface_.green_shift |
         static_cast<uint32_t>(color.b) << surface_.blue_shift;
}

void TextConsole::set_colors(uint8_t foreground, uint8_t background) {
  foreground_ = static_cast<uint8_t>(foreground % kPaletteSize);
  background_ = static_cast<uint8_t>(background % kPaletteSize);
  // A cursor on a blank cell shows the current colours: redraw it.
  if (cursor_visible_ && font_ != nullptr) mark_dirty(row_);
}

void TextConsole::set_palette(uint8_t index, Rgb color) {
  palette_[index % kPaletteSize] = pixel(color);
  pairs_key_ = 0xFFFF;
}

void TextConsole::set_cursor_visible(bool visible) {
  if (visible == cursor_visible_) return;
  cursor_visible_ = visible;
  if (font_ == nullptr) return;
  // Showing draws it at the write position; hiding redraws the row it was drawn on.
  if (cursor_drawn_row_ != kNoRow) mark_dirty(cursor_drawn_row_);
  if (visible) mark_dirty(row_);
}

void TextConsole::fill_rect(uint32_t x, uint32_t y, uint32_t w, uint32_t h, Rgb color) {
  if (x >= surface_.width || y >= surface_.height) return;
  if (w > surface_.width - x) w = surface_.width - x;
  if (h > surface_.height - y) h = surface_.height - y;
  const uint32_t value = pixel(color);
  for (uint32_t row = y; row < y + h; ++row) {
    fill_span(surface_.base + static_cast<size_t>(row) * surface_.pitch + x * 4, w, value);
  }
}

void TextConsole::draw_glyph(uint32_t x, uint32_t y, uint32_t codepoint, uint32_t fg,
                                    uint32_t bg, uint32_t scale) {
  // Only the banner comes here (scaled, clipped, drawn once); text cells use draw_cell().
  const uint8_t* bitmap = font_->glyph(codepoint);
  const uint32_t stride = font_->bytes_per_row();
  for (uint32_t gy = 0; gy < font_->height() * scale; ++gy) {
    const uint32_t py = y + gy;
    if (py >= surface_.height) break;
    const uint8_t* bits = bitmap + (gy / scale) * stride;
    auto* line =
        reinterpret_cast<uint32_t*>(surface_.base + static_cast<size_t>(py) * surface_.pitch);
    for (uint32_t gx = 0; gx < font_->width() * scale; ++gx) {
      const uint32_t px = x + gx;
      if (px >= surface_.width) break;
      const uint32_t bit = gx / scale;
      const bool on = (bits[bit / 8] & (0x80u >> (bit % 8))) != 0;
      line[px] = on ? fg : bg;
    }
  }
}

void TextConsole::draw_text(uint32_t x, uint32_t y, const char* text, Rgb foreground,
                                   Rgb background, uint32_t scale) {
  const uint32_t fg = pixel(foreground);
  const uint32_t bg = pixel(background);
  for (; *text != '\0'; ++text) {
    draw_glyph(x, y, static_cast<uint8_t>(*text), fg, bg, scale);
    x += font_->width() * scale;
  }
}

void TextConsole::draw_cell(uint32_t x, uint32_t y, ConsoleCell cell) {
  const uint16_t key = static_cast<uint16_t>(cell.fg << 8 | cell.bg);
  if (key != pairs_key_) {
    const uint64_t fg = palette_[cell.fg];
    const uint64_t bg = palette_[cell.bg];
    // Little-endian: the left pixel is the low half of the 64-bit store.
    pairs_[0] = bg | bg << 32;
    pairs_[1] = bg | fg << 32;
    pairs_[2] = fg | bg << 32;
    pairs_[3] = fg | fg << 32;
    pairs_key_ = key;
  }
  const uint8_t* bitmap = font_->glyph(cell.ch);
  const uint32_t stride = font_->bytes_per_row();
  const uint32_t width = font_->width();
  uint8_t* line = surface_.base + static_cast<size_t>(y) * surface_.pitch + x * 4;
  if (width == 8) {
    // The usual console font: one byte per glyph row, four stores.
    for (uint32_t gy = 0; gy < font_->height(); ++gy, line += surface_.pitch) {
      const uint32_t bits = bitmap[gy];
      store64(line, pairs_[bits >> 6]);
      store64(line + 8, pairs_[(bits >> 4) & 3]);
      store64(line + 16, pairs_[(bits >> 2) & 3]);
      store64(line + 24, pairs_[bits & 3]);
    }
    return;
  }
  for (uint32_t gy = 0; gy < font_->height(); ++gy, bitmap += stride, line += surface_.pitch) {
    // The glyph row left-aligned in 64 bits, so the next two pixels are always the top bits.
    uint64_t bits = 0;
    for (uint32_t b = 0; b < stride; ++b) bits |= static_cast<uint64_t>(bitmap[b]) << (56 - 8 * b);
    uint32_t i = 0;
    for (; i + 1 < width; i += 2, bits <<= 2) store64(line + i * 4, pairs_[bits >> 62]);
    if (i < width) store32(line + i * 4, static_cast<uint32_t>(pairs_[(bits >> 63) * 3]));
  }
}

void TextConsole::render_row(uint32_t row) {
  const uint32_t p = physical_row(row);
  const uint32_t width = font_->width();
  const uint32_t y = top_ + row * font_->height();
  for (uint32_t c = 0; c < length_[p]; ++c) draw_cell(c * width, y, cells_[p][c]);
  // Blank the rest only as far as earlier text reached (the whole line when unknown).
  const uint32_t from = length_[p] * width;
  const uint32_t to =
      drawn_length_[row] == kUnknownWidth ? surface_.width : drawn_length_[row] * width;
  if (to > from) {
    const uint32_t value = palette_[blank_bg_[p]];
    uint8_t* line = surface_.base + static_cast<size_t>(y) * surface_.pitch + from * 4;
    for (uint32_t gy = 0; gy < font_->height(); ++gy, line += surface_.pitch) {
      fill_span(line, to - from, value);
    }
  }
  uint32_t drawn = length_[p];
  if (cursor_drawn_row_ == row) cursor_drawn_row_ = kNoRow;  // just drawn over
  if (cursor_visible_ && row == row_) {
    // The cursor: its cell with foreground and background swapped (a block on blank cells).
    const uint32_t c = cursor_draw_column();
    const ConsoleCell under = cell(c, row);
    draw_cell(c * width, y, ConsoleCell{under.ch, under.bg, under.fg, 0});
    cursor_drawn_row_ = row;
    cursor_drawn_column_ = c;
    if (c + 1 > drawn) drawn = c + 1;
  }
  drawn_length_[row] = static_cast<uint16_t>(drawn);
  row_dirty_[row] = false;
  --dirty_rows_;
}

void TextConsole::note_cursor_moved() {
  if (!cursor_visible_) return;
  if (cursor_drawn_row_ == row_ && cursor_drawn_column_ == cursor_draw_column()) return;
  if (cursor_drawn_row_ != kNoRow) mark_dirty(cursor_drawn_row_);
  mark_dirty(row_);
}

bool TextConsole::render_next_row() {
  if (font_ == nullptr) return false;
  note_cursor_moved();
  if (dirty_rows_ == 0) return false;
  for (uint32_t r = 0; r < rows_; ++r) {
    if (!row_dirty_[r]) continue;
    render_row(r);
    break;
  }
  if (dirty_rows_ == 0) unrendered_lines_ = 0;
  return true;
}

void TextConsole::render() {
  if (font_ == nullptr) return;
  while (render_next_row()) {
  }
}

ConsoleCell TextConsole::cell(uint32_t column, uint32_t row) const {
  const uint32_t p = physical_row(row);
  if (column >= length_[p]) return ConsoleCell{' ', foreground_, blank_bg_[p], 0};
  return cells_[p][column];
}

void TextConsole::mark_dirty(uint32_t row) {
  if (row_dirty_[row]) return;
  row_dirty_[row] = true;
  ++dirty_rows_;
}

void TextConsole::clear_row(uint32_t physical) {
  length_[physical] = 0;
  blank_bg_[physical] = background_;
}

void TextConsole::new_line() {
  column_ = 0;
  ++unrendered_lines_;
  if (row_ + 1 < rows_) {
    ++row_;
  } else {
    // Scroll: the old top row becomes the new, blank bottom row; every screen row changes.
    const uint32_t recycled = first_row_;
    first_row_ = first_row_ + 1 == rows_ ? 0 : first_row_ + 1;
    clear_row(recycled);
    for (uint32_t r = 0; r < rows_; ++r) mark_dirty(r);
  }
  // Bounded latency: if nothing idles for two screenfuls of lines, draw now. Lines that scrolled
  // away before this point were never visible long enough to matter, and a burst such as the
  // kernel's boot report (about a screenful and a half) is drawn once, when the CPU idles.
  if (unrendered_lines_ > 2 * rows_) render();
}

void TextConsole::back_space() {
  if (column_ > 0) {
    --column_;
  } else if (row_ > 0) {
    // From column 0 to the last cell of the row above: where a wrapped line's previous
    // character is.
    --row_;
    column_ = columns_ - 1;
  }
}

void TextConsole::put_char(char c) {
  const auto byte = static_cast<uint8_t>(c);
  switch (c) {
    case '\n': new_line(); return;
    case '\r': column_ = 0; return;
    case '\b': back_space(); return;
    case '\t':
      // Stops every 8 columns and at the right edge (a grid narrower than 8 never reaches one).
      do put_char(' ');
      while (column_ % 8 != 0 && column_ < columns_);
      return;
    default: break;
  }
  if (byte < 0x20 || (byte >= 0x7F && byte < 0xA0)) return;  // other C0/C1 controls, DEL
  if (column_ >= columns_) new_line();
  const uint32_t p = physical_row(row_);
  cells_[p][column_] = ConsoleCell{byte, foreground_, background_, 0};
  ++column_;
  if (column_ > length_[p]) length_[p] = static_cast<uint16_t>(column_);
  mark_dirty(row_);
}

void TextConsole::write(const char* data, size_t length) {
  if (font_ == nullptr) return;
  for (size_t i = 0; i < length; ++i) put_char(data[i]);
}

}  // namespace mu
