// Host tests of the text console (common/src/text_console.cc) on an in-memory surface.
#include "mu/text_console.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace {

using mu::FramebufferSurface;
using mu::PsfFont;
using FramebufferConsole = mu::TextConsole;

constexpr uint8_t kWhite = static_cast<uint8_t>(mu::VgaColor::White);
constexpr uint8_t kBlack = static_cast<uint8_t>(mu::VgaColor::Black);

// A PSF1 8x2 font: glyph c has row 0 = c and row 1 = 0xFF (so every cell is visible).
std::vector<uint8_t> make_font() {
  std::vector<uint8_t> font = {0x36, 0x04, 0x00, 2};
  for (int g = 0; g < 256; ++g) {
    font.push_back(static_cast<uint8_t>(g));
    font.push_back(0xFF);
  }
  return font;
}

struct Screen {
  static constexpr uint32_t kWidth = 32;               // 4 columns of 8 pixels
  static constexpr uint32_t kHeight = 8;               // 1 banner row (2 px) + 3 text rows of 2 px
  static constexpr uint32_t kPitch = kWidth * 4 + 16;  // padding after each line
  alignas(16) uint8_t pixels[kPitch * kHeight] = {};
  FramebufferSurface surface(bool bgr) {
    return FramebufferSurface{pixels,
                              kWidth,
                              kHeight,
                              kPitch,
                              static_cast<uint8_t>(bgr ? 16 : 0),
                              8,
                              static_cast<uint8_t>(bgr ? 0 : 16)};
  }
  uint32_t at(uint32_t x, uint32_t y) const {
    uint32_t value;
    std::memcpy(&value, pixels + y * kPitch + x * 4, 4);
    return value;
  }
  // The glyph byte drawn in a cell's first row, read back from foreground pixels.
  uint8_t cell_code(uint32_t column, uint32_t text_row, uint32_t top, uint32_t fg) const {
    uint8_t code = 0;
    for (uint32_t bit = 0; bit < 8; ++bit) {
      if (at(column * 8 + bit, top + text_row * 2) == fg) code |= static_cast<uint8_t>(0x80 >> bit);
    }
    return code;
  }
};

class FbConsoleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = make_font();
    ASSERT_EQ(PsfFont::parse(data_.data(), data_.size(), &font_), mu::PsfError::None);
  }
  std::vector<uint8_t> data_;
  PsfFont font_;
  Screen screen_;
};

constexpr uint32_t kWhiteRgbx = 0x00FFFFFF;

TEST_F(FbConsoleTest, GridFromGeometry) {
  FramebufferConsole console;
  ASSERT_TRUE(console.init(screen_.surface(false), font_, 2));
  EXPECT_EQ(console.columns(), 4u);
  EXPECT_EQ(console.rows(), 3u);
  FramebufferSurface tiny = screen_.surface(false);
  tiny.height = 2;
  FramebufferConsole none;
  EXPECT_FALSE(none.init(tiny, font_, 2));
}

TEST_F(FbConsoleTest, DrawsWrapsAndScrolls) {
  FramebufferConsole console;
  ASSERT_TRUE(console.init(screen_.surface(false), font_, 2));
  console.set_colors(kWhite, kBlack);
  console.write("ABCDE", 5);  // wraps after 4 columns
  console.render();
  EXPECT_EQ(screen_.cell_code(0, 0, 2, kWhiteRgbx), 'A');
  EXPECT_EQ(screen_.cell_code(3, 0, 2, kWhiteRgbx), 'D');
  EXPECT_EQ(screen_.cell_code(0, 1, 2, kWhiteRgbx), 'E');
  EXPECT_EQ(console.cursor_row(), 1u);
  console.write("\nF\nG", 4);  // third row, then scroll
  console.render();
  EXPECT_EQ(console.cursor_row(), 2u);
  EXPECT_EQ(screen_.cell_code(0, 0, 2, kWhiteRgbx), 'E');
  EXPECT_EQ(screen_.cell_code(0, 1, 2, kWhiteRgbx), 'F');
  EXPECT_EQ(screen_.cell_code(0, 2, 2, kWhiteRgbx), 'G');
  // The banner rows above the text area are never touched by scrolling.
  EXPECT_EQ(screen_.at(0, 0), 0u);
  // Padding bytes after each line are never written.
  EXPECT_EQ(screen_.pixels[Screen::kWidth * 4], 0u);
}

TEST_F(FbConsoleTest, ChannelOrderFollowsFormat) {
  FramebufferConsole console;
  ASSERT_TRUE(console.init(screen_.surface(true), font_, 0));
  console.fill_rect(0, 0, 1, 1, {0x11, 0x22, 0x33});
  EXPECT_EQ(screen_.pixels[0], 0x33);  // Bgrx: byte 0 blue
  EXPECT_EQ(screen_.pixels[2], 0x11);
  FramebufferConsole rgb;
  ASSERT_TRUE(rgb.init(screen_.surface(false), font_, 0));
  rgb.fill_rect(0, 0, 1, 1, {0x11, 0x22, 0x33});
  EXPECT_EQ(screen_.pixels[0], 0x11);  // Rgbx: byte 0 red
  EXPECT_EQ(screen_.pixels[2], 0x33);
}

TEST_F(FbConsoleTest, ClipsDrawing) {
  FramebufferConsole console;
  ASSERT_TRUE(console.init(screen_.surface(false), font_, 0));
  console.fill_rect(30, 6, 100, 100, {1, 2, 3});
  console.draw_text(28, 7, "XYZ", {1, 1, 1}, {0, 0, 0}, 2);
  EXPECT_EQ(screen_.at(31, 7) & 0xFF, 1u);
}

// A console on the test screen, white on black, with the whole screen painted `marker` so the
// tests see which pixels rendering touched.
class GridTest : public FbConsoleTest {
 protected:
  static constexpr uint32_t kMarker = 0x00ABCDEF;
  void SetUp() override {
    FbConsoleTest::SetUp();
    ASSERT_TRUE(console_.init(screen_.surface(false), font_, 2));
    console_.set_colors(kWhite, kBlack);
    paint(kMarker);
  }
  void paint(uint32_t value) {
    for (uint32_t y = 0; y < Screen::kHeight; ++y) {
      for (uint32_t x = 0; x < Screen::kWidth; ++x)
        std::memcpy(screen_.pixels + y * Screen::kPitch + x * 4, &value, 4);
    }
  }
  void put(const char* text) { console_.write(text, std::strlen(text)); }
  char at(uint32_t column, uint32_t row) const {
    return static_cast<char>(console_.cell(column, row).ch);
  }
  FramebufferConsole console_;
};

TEST_F(GridTest, WritingOnlyTouchesTheGrid) {
  put("AB\nC");
  // Nothing is drawn until render(): the marker paint is intact.
  EXPECT_EQ(screen_.at(0, 2), kMarker);
  EXPECT_EQ(at(0, 0), 'A');
  EXPECT_EQ(at(1, 0), 'B');
  EXPECT_EQ(at(2, 0), ' ');
  EXPECT_EQ(at(0, 1), 'C');
  EXPECT_TRUE(console_.dirty());
  console_.render();
  EXPECT_FALSE(console_.dirty());
  EXPECT_EQ(screen_.cell_code(0, 0, 2, kWhiteRgbx), 'A');
  EXPECT_EQ(screen_.cell_code(1, 0, 2, kWhiteRgbx), 'B');
  EXPECT_EQ(screen_.cell_code(0, 1, 2, kWhiteRgbx), 'C');
  // The first render clears the whole text area, right margin included, but not the banner.
  EXPECT_EQ(screen_.at(31, 2), 0u);
  EXPECT_EQ(screen_.at(31, 7), 0u);
  EXPECT_EQ(screen_.at(0, 0), kMarker);
  EXPECT_EQ(screen_.at(0, 1), kMarker);
}

TEST_F(GridTest, RendersOnlyDirtyRows) {
  put("A\nB");
  console_.render();
  paint(kMarker);
  put("C");  // row 1 only
  EXPECT_FALSE(console_.row_dirty(0));
  EXPECT_TRUE(console_.row_dirty(1));
  EXPECT_FALSE(console_.row_dirty(2));
  console_.render();
  EXPECT_EQ(screen_.at(0, 2), kMarker);  // row 0 untouched
  EXPECT_EQ(screen_.cell_code(0, 1, 2, kWhiteRgbx), 'B');
  EXPECT_EQ(screen_.cell_code(1, 1, 2, kWhiteRgbx), 'C');
  EXPECT_EQ(screen_.at(0, 6), kMarker);  // row 2 untouched
  // Blank cells that never held text are not redrawn either.
  EXPECT_EQ(screen_.at(16, 4), kMarker);
}

TEST_F(GridTest, ScrollMovesTheGridAndDirtiesEveryRow) {
  put("1\n2\n3");
  console_.render();
  put("\n4");
  EXPECT_EQ(at(0, 0), '2');
  EXPECT_EQ(at(0, 1), '3');
  EXPECT_EQ(at(0, 2), '4');
  for (uint32_t r = 0; r < 3; ++r) EXPECT_TRUE(console_.row_dirty(r));
  put("\nXYZW\n5");  // two more scrolls; the bottom row comes in blank before '5'
  EXPECT_EQ(at(0, 0), '4');
  EXPECT_EQ(at(0, 1), 'X');
  EXPECT_EQ(at(3, 1), 'W');
  EXPECT_EQ(at(0, 2), '5');
  EXPECT_EQ(at(1, 2), ' ');
  console_.render();
  EXPECT_EQ(screen_.cell_code(0, 0, 2, kWhiteRgbx), '4');
  EXPECT_EQ(screen_.cell_code(3, 1, 2, kWhiteRgbx), 'W');
  EXPECT_EQ(screen_.cell_code(0, 2, 2, kWhiteRgbx), '5');
  // Row 2 held "3" then "4"; the cells beyond '5' are blanked again where text had been.
  EXPECT_EQ(screen_.cell_code(1, 2, 2, kWhiteRgbx), 0u);
  EXPECT_EQ(screen_.at(8, 7), 0u);
}

TEST_F(GridTest, ShorterLineBlanksTheOldTail) {
  put("ABCD\nx\ny");
  console_.render();
  put("\n");  // scroll: "x" now shows where "ABCD" was drawn
  console_.render();
  EXPECT_EQ(screen_.cell_code(0, 0, 2, kWhiteRgbx), 'x');
  EXPECT_EQ(screen_.cell_code(1, 0, 2, kWhiteRgbx), 0u);
  EXPECT_EQ(screen_.cell_code(3, 0, 2, kWhiteRgbx), 0u);
  EXPECT_EQ(screen_.cell_code(0, 1, 2, kWhiteRgbx), 'y');
  EXPECT_EQ(screen_.cell_code(0, 2, 2, kWhiteRgbx), 0u);
}

TEST_F(GridTest, ManyUnrenderedLinesRenderWithoutIdle) {
  // More than two screenfuls (2 x 3 rows) of line feeds without render() draw on their own.
  put("a\nb\nc\nd\ne\nf\n");
  EXPECT_TRUE(console_.dirty());
  put("g\n");
  EXPECT_FALSE(console_.dirty());
  EXPECT_EQ(screen_.cell_code(0, 0, 2, kWhiteRgbx), 'f');
  EXPECT_EQ(screen_.cell_code(0, 1, 2, kWhiteRgbx), 'g');
  // Fewer lines stay deferred.
  paint(kMarker);
  put("h\n");
  EXPECT_TRUE(console_.dirty());
  EXPECT_EQ(screen_.at(0, 2), kMarker);
}

TEST_F(GridTest, RenderNextRowGoesTopDown) {
  put("A\nB");
  EXPECT_TRUE(console_.render_next_row());
  EXPECT_FALSE(console_.row_dirty(0));
  EXPECT_TRUE(console_.row_dirty(1));
  EXPECT_TRUE(console_.render_next_row());
  EXPECT_TRUE(console_.render_next_row());  // row 2: never drawn, so cleared once
  EXPECT_FALSE(console_.render_next_row());
}

TEST_F(GridTest, CarriageReturnAndTab) {
  put("AB\rC\t");
  EXPECT_EQ(at(0, 0), 'C');
  EXPECT_EQ(at(1, 0), ' ');
  EXPECT_EQ(console_.cursor_row(), 0u);  // the tab stops at the right edge of 4 columns
  EXPECT_EQ(console_.cursor_column(), 4u);
  EXPECT_EQ(at(3, 0), ' ');
  put("D");
  EXPECT_EQ(at(0, 1), 'D');
}

TEST_F(GridTest, CellColoursAndOddWidthGlyphs) {
  // A 5-pixel-wide PSF2 font: glyph rows end with a single 32-bit store.
  std::vector<uint8_t> psf2 = {0x72, 0xb5, 0x4a, 0x86, 0, 0, 0, 0, 32, 0, 0, 0, 0, 0, 0, 0,
                               128,  0,    0,    0,    2, 0, 0, 0, 2,  0, 0, 0, 5, 0, 0, 0};
  for (int g = 0; g < 128; ++g) {
    psf2.push_back(0xA8);  // pixels 0, 2, 4 on
    psf2.push_back(0x00);
  }
  PsfFont narrow;
  ASSERT_EQ(PsfFont::parse(psf2.data(), psf2.size(), &narrow), mu::PsfError::None);
  FramebufferConsole console;
  ASSERT_TRUE(console.init(screen_.surface(false), narrow, 0));
  EXPECT_EQ(console.columns(), 6u);
  console.set_palette(1, {0x10, 0x20, 0x30});
  console.set_palette(2, {0x01, 0x02, 0x03});
  console.set_colors(1, 2);
  console.write("xy", 2);
  console.render();
  const uint32_t fg = 0x302010, bg = 0x030201;
  const uint32_t expected[] = {fg, bg, fg, bg, fg, fg, bg, fg, bg, fg};
  for (uint32_t x = 0; x < 10; ++x) EXPECT_EQ(screen_.at(x, 0), expected[x]) << x;
  EXPECT_EQ(screen_.at(10, 0), 0u);  // first render clears with the background set at init
  EXPECT_EQ(screen_.at(31, 1), 0u);
}

TEST_F(GridTest, BackspaceMovesLeftAcrossWrappedRows) {
  put("ABCDE");  // "ABCD" on row 0, "E" on row 1
  put("\b\b");
  EXPECT_EQ(console_.cursor_row(), 0u);
  EXPECT_EQ(console_.cursor_column(), 3u);
  put("x");  // overwrites 'D'
  EXPECT_EQ(at(3, 0), 'x');
  EXPECT_EQ(at(0, 1), 'E');
  put("\b\b\b\b\b\b");  // stops at the top-left corner
  EXPECT_EQ(console_.cursor_row(), 0u);
  EXPECT_EQ(console_.cursor_column(), 0u);
}

TEST_F(GridTest, ControlBytesOtherThanTheHandledOnesAreDropped) {
  put("A\x1b[1m\a\x7f" "B");
  EXPECT_EQ(at(0, 0), 'A');
  EXPECT_EQ(at(1, 0), '[');  // ESC sequences are not interpreted: only ESC itself goes
  EXPECT_EQ(at(3, 0), 'm');
  EXPECT_EQ(at(0, 1), 'B');  // wrapped: "A[1m" fills row 0
}

TEST_F(GridTest, PaletteIndicesSelectVgaColours) {
  console_.set_colors(static_cast<uint8_t>(mu::VgaColor::LightRed), kBlack);
  put("A");
  console_.set_colors(kWhite, static_cast<uint8_t>(mu::VgaColor::Blue));
  put("B");
  EXPECT_EQ(console_.cell(0, 0).fg, 12);
  EXPECT_EQ(console_.cell(1, 0).bg, 1);
  console_.render();
  EXPECT_EQ(screen_.cell_code(0, 0, 2, 0x5555FF), 'A');  // Rgbx: red 0xFF, green/blue 0x55
  EXPECT_EQ(screen_.at(8, 2), 0xAA0000u);  // 'B' (0x42): its first pixel is background
  EXPECT_EQ(mu::vga_rgb(14).r, 0xFF);
  EXPECT_EQ(mu::vga_rgb(14).b, 0x55);
}

TEST_F(GridTest, VisibleCursorIsDrawnInvertedAndFollowsTheWritePosition) {
  console_.set_cursor_visible(true);
  put("A");
  console_.render();
  // Cell 1 of row 0 is blank under the cursor: the glyph of ' ' drawn black on white (the test
  // font's ' ' has pixel 2 of its first row on and its whole second row on).
  EXPECT_EQ(screen_.at(8, 2), kWhiteRgbx);
  EXPECT_EQ(screen_.at(10, 2), 0u);
  EXPECT_EQ(screen_.at(15, 2), kWhiteRgbx);
  EXPECT_EQ(screen_.cell_code(0, 0, 2, kWhiteRgbx), 'A');
  put("\n");
  console_.render();
  EXPECT_EQ(screen_.at(8, 2), 0u);  // the old place is blank again
  EXPECT_EQ(screen_.at(0, 4), kWhiteRgbx);
  put("B\b");  // back onto 'B': drawn black on white
  console_.render();
  EXPECT_EQ(screen_.cell_code(0, 1, 2, 0u), 'B');
  EXPECT_EQ(screen_.at(8, 4), 0u);
  console_.set_cursor_visible(false);
  console_.render();
  EXPECT_EQ(screen_.cell_code(0, 1, 2, kWhiteRgbx), 'B');
}

TEST_F(GridTest, CursorAfterTheLastColumnStaysOnTheLastCell) {
  console_.set_cursor_visible(true);
  put("ABCD");
  EXPECT_EQ(console_.cursor_column(), 4u);
  console_.render();
  EXPECT_EQ(screen_.cell_code(3, 0, 2, 0u), 'D');  // inverted
  EXPECT_EQ(console_.cursor_row(), 0u);
}

}  // namespace
