// Host tests of PSF1/PSF2 parsing and code-point-to-glyph mapping (common/src/psf.cc).
#include "mu/psf.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace {

using mu::PsfError;
using mu::PsfFont;

// PSF1, 256 glyphs of 8x4; glyph i is filled with byte i. With a unicode table that maps
// glyph 1 to 'A' and glyph 2 to '?' and U+00E9.
std::vector<uint8_t> make_psf1(bool with_table) {
  std::vector<uint8_t> font = {0x36, 0x04, static_cast<uint8_t>(with_table ? 0x02 : 0x00), 4};
  for (int g = 0; g < 256; ++g) {
    for (int row = 0; row < 4; ++row) font.push_back(static_cast<uint8_t>(g));
  }
  if (with_table) {
    auto u16 = [&](uint16_t v) {
      font.push_back(static_cast<uint8_t>(v));
      font.push_back(static_cast<uint8_t>(v >> 8));
    };
    for (int g = 0; g < 256; ++g) {
      if (g == 1) u16('A');
      if (g == 2) {
        u16('?');
        u16(0xE9);
      }
      if (g == 3) {
        u16(0xFFFE);
        u16('B');
        u16(0x301);
      }  // a sequence only: 'B' stays unmapped
      u16(0xFFFF);
    }
  }
  return font;
}

// PSF2, 4 glyphs of 10x3 (2 bytes per row), UTF-8 table mapping glyph 3 to 'x' and U+00FC.
std::vector<uint8_t> make_psf2() {
  std::vector<uint8_t> font = {0x72, 0xb5, 0x4a, 0x86};
  auto u32 = [&](uint32_t v) {
    for (int i = 0; i < 4; ++i) font.push_back(static_cast<uint8_t>(v >> (8 * i)));
  };
  u32(0);   // version
  u32(32);  // header size
  u32(1);   // flags: unicode table
  u32(4);   // glyphs
  u32(6);   // bytes per glyph
  u32(3);   // height
  u32(10);  // width
  for (int g = 0; g < 4; ++g) {
    for (int b = 0; b < 6; ++b) font.push_back(static_cast<uint8_t>(0x10 * g + b));
  }
  font.push_back(0xFF);  // glyph 0: nothing
  font.push_back(0xFF);  // glyph 1
  font.push_back('?');
  font.push_back(0xFF);  // glyph 2
  font.push_back('x');
  font.push_back(0xC3);
  font.push_back(0xBC);  // U+00FC
  font.push_back(0xFF);  // glyph 3
  return font;
}

TEST(Psf, Psf1WithoutTableIsIdentity) {
  const auto data = make_psf1(false);
  PsfFont font;
  ASSERT_EQ(PsfFont::parse(data.data(), data.size(), &font), PsfError::None);
  EXPECT_EQ(font.version(), 1);
  EXPECT_EQ(font.width(), 8u);
  EXPECT_EQ(font.height(), 4u);
  EXPECT_EQ(font.glyph_count(), 256u);
  EXPECT_EQ(font.glyph('A')[0], 'A');
  EXPECT_EQ(font.glyph(0xFF)[3], 0xFF);
}

TEST(Psf, Psf1UnicodeTableMapsCodePoints) {
  const auto data = make_psf1(true);
  PsfFont font;
  ASSERT_EQ(PsfFont::parse(data.data(), data.size(), &font), PsfError::None);
  EXPECT_TRUE(font.has_unicode_table());
  EXPECT_EQ(font.glyph('A')[0], 1);
  EXPECT_EQ(font.glyph(0xE9)[0], 2);
  // Unmapped code points fall back to '?'.
  EXPECT_EQ(font.glyph('B')[0], 2);
  EXPECT_EQ(font.glyph(0x20AC)[0], 2);
}

TEST(Psf, Psf2ParsesHeaderAndUtf8Table) {
  const auto data = make_psf2();
  PsfFont font;
  ASSERT_EQ(PsfFont::parse(data.data(), data.size(), &font), PsfError::None);
  EXPECT_EQ(font.version(), 2);
  EXPECT_EQ(font.width(), 10u);
  EXPECT_EQ(font.height(), 3u);
  EXPECT_EQ(font.bytes_per_row(), 2u);
  EXPECT_EQ(font.glyph('x')[0], 0x30);
  EXPECT_EQ(font.glyph(0xFC)[1], 0x31);
  EXPECT_EQ(font.glyph('?')[0], 0x20);
  EXPECT_EQ(font.glyph('z')[0], 0x20);
}

TEST(Psf, RejectsBadInput) {
  PsfFont font;
  const uint8_t junk[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_EQ(PsfFont::parse(junk, sizeof(junk), &font), PsfError::BadMagic);
  EXPECT_EQ(PsfFont::parse(junk, 2, &font), PsfError::TooShort);
  auto psf1 = make_psf1(false);
  EXPECT_EQ(PsfFont::parse(psf1.data(), 100, &font), PsfError::Truncated);
  psf1[3] = 0;
  EXPECT_EQ(PsfFont::parse(psf1.data(), psf1.size(), &font), PsfError::BadHeader);
  auto psf2 = make_psf2();
  EXPECT_EQ(PsfFont::parse(psf2.data(), 20, &font), PsfError::TooShort);
  EXPECT_EQ(PsfFont::parse(psf2.data(), 40, &font), PsfError::Truncated);
  psf2[20] = 7;  // bytes per glyph inconsistent with width x height
  EXPECT_EQ(PsfFont::parse(psf2.data(), psf2.size(), &font), PsfError::BadHeader);
}

TEST(Psf, TruncatedUnicodeTableIsTolerated) {
  auto data = make_psf2();
  data.resize(data.size() - 2);  // cut inside the UTF-8 sequence
  PsfFont font;
  ASSERT_EQ(PsfFont::parse(data.data(), data.size(), &font), PsfError::None);
  EXPECT_EQ(font.glyph('x')[0], 0x30);
}

}  // namespace
