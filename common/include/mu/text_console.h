// Text console on a linear 32-bit framebuffer: a shadow cell grid, dirty rows, deferred
// rendering, 16 palette colours and an optional visible cursor. Shared by the kernel's boot
// screen and the console server (servers/console), which each own one.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mu/psf.h"

namespace mu {

// A 32-bit-per-pixel framebuffer the CPU can write (kernel: the HHDM alias; console server: its
// device mapping).
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

// One character cell of the shadow grid; colours are indices into the console's palette.
struct ConsoleCell {
  uint8_t ch;
  uint8_t fg;
  uint8_t bg;
  uint8_t unused;
};

// The 16 VGA text colours, in VGA order (0 black ... 7 light grey, 8 dark grey ... 15 white).
enum class VgaColor : uint8_t {
  Black = 0, Blue, Green, Cyan, Red, Magenta, Brown, LightGrey,
  DarkGrey, LightBlue, LightGreen, LightCyan, LightRed, LightMagenta, Yellow, White,
};
inline constexpr uint32_t kVgaColorCount = 16;
// The RGB value of a palette entry before set_palette changes it.
[[nodiscard]] Rgb vga_rgb(uint8_t index);

// Writing only updates the grid (cheap); pixels are drawn by render(), which the owner calls
// when it would otherwise wait (the kernel when the CPU idles, the console server before it
// blocks). Scrolling rotates the grid instead of moving pixels. Not locked: the caller
// serialises write() and render().
//
// Bytes written: printable bytes (and Latin-1 >= 0xA0) are drawn; '\n' new line, '\r' column 0,
// '\t' to the next multiple of 8, '\b' one cell left (to the end of the previous row from
// column 0; it erases nothing). Other control bytes (ESC, BEL, ...) are dropped.
class TextConsole {
 public:
  // Larger screens show the top-left part of the grid; 256x128 cells of 4 bytes = 128 KiB.
  static constexpr uint32_t kMaxColumns = 256;
  static constexpr uint32_t kMaxRows = 128;
  static constexpr uint32_t kPaletteSize = kVgaColorCount;
  static constexpr uint32_t kMaxFontWidth = 64;  // a glyph row fits one uint64_t

  // `top` pixel rows are reserved (a banner) and never scrolled. The text area is cleared by
  // the first render(), not here. Colours start light grey on black with the VGA palette; the
  // cursor starts hidden. Returns false if the surface cannot hold a character cell.
  [[nodiscard]] bool init(const FramebufferSurface& surface, const PsfFont& font, uint32_t top);

  // Palette indices (0..15; higher values are taken modulo 16) for text written afterwards and
  // for the blank rows scrolling brings in.
  void set_colors(uint8_t foreground, uint8_t background);
  // Changes one palette entry; cells already drawn keep their pixels until redrawn.
  void set_palette(uint8_t index, Rgb color);
  [[nodiscard]] uint8_t foreground() const { return foreground_; }
  [[nodiscard]] uint8_t background() const { return background_; }

  // A visible cursor is the cell at the write position drawn with its colours swapped.
  void set_cursor_visible(bool visible);

  void write(const char* data, size_t length);

  // Draws every dirty row. Also called by write() once more than two screenfuls of lines have
  // gone unrendered, so output appears with bounded delay even if the owner never idles.
  void render();
  // Draws the topmost dirty row; returns false when none was left (lets the caller bound the
  // time spent with interrupts off).
  bool render_next_row();
  [[nodiscard]] bool dirty() const { return dirty_rows_ != 0; }

  // Drawing used by banners, immediate; coordinates are clipped to the surface.
  void fill_rect(uint32_t x, uint32_t y, uint32_t w, uint32_t h, Rgb color);
  void draw_text(uint32_t x, uint32_t y, const char* text, Rgb foreground, Rgb background,
                 uint32_t scale = 1);

  [[nodiscard]] uint32_t columns() const { return columns_; }
  [[nodiscard]] uint32_t rows() const { return rows_; }
  // The write position; cursor_column() == columns() means "after the last column" (the next
  // printable byte wraps first).
  [[nodiscard]] uint32_t cursor_column() const { return column_; }
  [[nodiscard]] uint32_t cursor_row() const { return row_; }
  // The cell shown at a screen position (row 0 = top of the text area).
  [[nodiscard]] ConsoleCell cell(uint32_t column, uint32_t row) const;
  [[nodiscard]] bool row_dirty(uint32_t row) const { return row_dirty_[row]; }

 private:
  [[nodiscard]] uint32_t pixel(Rgb color) const;
  [[nodiscard]] uint32_t physical_row(uint32_t row) const {
    const uint32_t p = first_row_ + row;
    return p >= rows_ ? p - rows_ : p;
  }
  // Where the cursor is drawn: its row and a column inside the grid.
  [[nodiscard]] uint32_t cursor_draw_column() const {
    return column_ < columns_ ? column_ : columns_ - 1;
  }
  void draw_glyph(uint32_t x, uint32_t y, uint32_t codepoint, uint32_t fg, uint32_t bg,
                  uint32_t scale);
  void draw_cell(uint32_t x, uint32_t y, ConsoleCell cell);
  void render_row(uint32_t row);
  void mark_dirty(uint32_t row);
  void clear_row(uint32_t physical);
  void put_char(char c);
  void back_space();
  void new_line();
  void note_cursor_moved();

  FramebufferSurface surface_{};
  const PsfFont* font_ = nullptr;
  uint32_t top_ = 0;
  uint32_t columns_ = 0;
  uint32_t rows_ = 0;
  uint32_t column_ = 0;
  uint32_t row_ = 0;  // cursor, in screen rows
  uint8_t foreground_ = 0;
  uint8_t background_ = 0;

  uint32_t palette_[kPaletteSize] = {};

  bool cursor_visible_ = false;
  // Where the cursor was last drawn (kNoRow: nowhere), so moving it redraws the old place.
  static constexpr uint32_t kNoRow = 0xFFFFFFFF;
  uint32_t cursor_drawn_row_ = kNoRow;
  uint32_t cursor_drawn_column_ = 0;

  // cells_[physical_row(r)] is screen row r; scrolling advances first_row_.
  ConsoleCell cells_[kMaxRows][kMaxColumns] = {};
  uint32_t first_row_ = 0;
  uint16_t length_[kMaxRows] = {};   // per physical row: cells written (the rest are blank)
  uint8_t blank_bg_[kMaxRows] = {};  // per physical row: background of its blank cells
  // Per screen row: columns that may be non-blank on screen; kUnknownWidth until first drawn.
  uint16_t drawn_length_[kMaxRows] = {};
  static constexpr uint16_t kUnknownWidth = 0xFFFF;
  bool row_dirty_[kMaxRows] = {};
  uint32_t dirty_rows_ = 0;
  uint32_t unrendered_lines_ = 0;  // line feeds since the last full render

  // Pixel pairs for the last (fg, bg) combination drawn: index = two glyph bits, left pixel high.
  uint64_t pairs_[4] = {};
  uint16_t pairs_key_ = 0xFFFF;
};

}  // namespace mu
