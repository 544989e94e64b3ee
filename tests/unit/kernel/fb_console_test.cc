// Host tests of the framebuffer console on an in-memory surface.
#include "console/fb_console.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace {

using kernel::FramebufferConsole;
using kernel::FramebufferSurface;
using kernel::PsfFont;

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
  static constexpr uint32_t kWidth = 32;   // 4 columns of 8 pixels
  static constexpr uint32_t kHeight = 8;   // 1 banner row (2 px) + 3 text rows of 2 px
  static constexpr uint32_t kPitch = kWidth * 4 + 16;  // padding after each line
  alignas(16) uint8_t pixels[kPitch * kHeight] = {};
  FramebufferSurface surface(bool bgr) {
    return FramebufferSurface{pixels, kWidth, kHeight, kPitch, static_cast<uint8_t>(bgr ? 16 : 0), 8,
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
    ASSERT_EQ(PsfFont::parse(data_.data(), data_.size(), &font_), kernel::PsfError::None);
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
  console.set_colors({0xFF, 0xFF, 0xFF}, {0, 0, 0});
  console.write("ABCDE", 5);  // wraps after 4 columns
  EXPECT_EQ(screen_.cell_code(0, 0, 2, kWhiteRgbx), 'A');
  EXPECT_EQ(screen_.cell_code(3, 0, 2, kWhiteRgbx), 'D');
  EXPECT_EQ(screen_.cell_code(0, 1, 2, kWhiteRgbx), 'E');
  EXPECT_EQ(console.cursor_row(), 1u);
  console.write("\nF\nG", 4);  // third row, then scroll
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

}  // namespace
