// PC Screen Font (PSF1 and PSF2) parsing, as shipped by Debian's console-setup fonts.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace mu {

enum class PsfError : uint32_t {
  None = 0,
  TooShort,
  BadMagic,
  BadHeader,  // zero or implausible sizes
  Truncated,  // glyph data runs past the end
};

[[nodiscard]] const char* psf_error_string(PsfError error);

class PsfFont {
 public:
  // Parses a font in memory; the font keeps pointing into `data`.
  [[nodiscard]] static PsfError parse(const uint8_t* data, size_t size, PsfFont* out);

  [[nodiscard]] uint32_t width() const { return width_; }
  [[nodiscard]] uint32_t height() const { return height_; }
  [[nodiscard]] uint32_t glyph_count() const { return glyph_count_; }
  [[nodiscard]] uint32_t bytes_per_row() const { return (width_ + 7) / 8; }
  [[nodiscard]] int version() const { return version_; }
  [[nodiscard]] bool has_unicode_table() const { return has_unicode_; }

  // Bitmap rows (MSB = leftmost pixel) of the glyph for a Latin-1 code point; '?' or glyph 0
  // when the font has no glyph for it.
  [[nodiscard]] const uint8_t* glyph(uint32_t codepoint) const;

 private:
  static constexpr uint16_t kNoGlyph = 0xFFFF;
  void build_map_psf1(const uint8_t* table, const uint8_t* end);
  void build_map_psf2(const uint8_t* table, const uint8_t* end);
  void map_codepoint(uint32_t codepoint, uint32_t glyph);

  const uint8_t* glyphs_ = nullptr;
  uint32_t glyph_count_ = 0;
  uint32_t glyph_size_ = 0;
  uint32_t width_ = 0;
  uint32_t height_ = 0;
  int version_ = 0;
  bool has_unicode_ = false;
  uint16_t map_[256] = {};  // Latin-1 code point -> glyph index
};

}  // namespace mu
