// PSF1/PSF2 parsing. Formats as documented in the kbd project's psf.h / psffontop.
#include "mu/psf.h"

namespace mu {
namespace {

constexpr uint8_t kPsf1Magic[2] = {0x36, 0x04};
constexpr uint8_t kPsf1Mode512 = 0x01;
constexpr uint8_t kPsf1ModeHasTable = 0x02;
constexpr uint8_t kPsf1ModeHasSequences = 0x04;
constexpr uint16_t kPsf1Separator = 0xFFFF;
constexpr uint16_t kPsf1StartSequence = 0xFFFE;

constexpr uint8_t kPsf2Magic[4] = {0x72, 0xb5, 0x4a, 0x86};
constexpr uint32_t kPsf2HasUnicodeTable = 0x01;
constexpr uint8_t kPsf2Separator = 0xFF;
constexpr uint8_t kPsf2StartSequence = 0xFE;

uint32_t read_u32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

}  // namespace

const char* psf_error_string(PsfError error) {
  switch (error) {
    case PsfError::None: return "no error";
    case PsfError::TooShort: return "font too short";
    case PsfError::BadMagic: return "not a PSF1/PSF2 font";
    case PsfError::BadHeader: return "bad PSF header";
    case PsfError::Truncated: return "glyph data truncated";
  }
  return "unknown PSF error";
}

void PsfFont::map_codepoint(uint32_t codepoint, uint32_t glyph) {
  // First mapping wins: a glyph listed earlier is the font's primary choice.
  if (codepoint < 256 && map_[codepoint] == kNoGlyph)
    map_[codepoint] = static_cast<uint16_t>(glyph);
}

void PsfFont::build_map_psf1(const uint8_t* table, const uint8_t* end) {
  uint32_t glyph = 0;
  bool in_sequence = false;
  for (const uint8_t* p = table; p + 2 <= end && glyph < glyph_count_; p += 2) {
    const uint16_t value = static_cast<uint16_t>(p[0] | p[1] << 8);
    if (value == kPsf1Separator) {
      ++glyph;
      in_sequence = false;
    } else if (value == kPsf1StartSequence) {
      in_sequence = true;  // combining sequences do not map single code points
    } else if (!in_sequence) {
      map_codepoint(value, glyph);
    }
  }
}

void PsfFont::build_map_psf2(const uint8_t* table, const uint8_t* end) {
  uint32_t glyph = 0;
  bool in_sequence = false;
  const uint8_t* p = table;
  while (p < end && glyph < glyph_count_) {
    const uint8_t lead = *p;
    if (lead == kPsf2Separator) {
      ++glyph;
      in_sequence = false;
      ++p;
      continue;
    }
    if (lead == kPsf2StartSequence) {
      in_sequence = true;
      ++p;
      continue;
    }
    // One UTF-8 encoded code point; malformed bytes are skipped one at a time.
    uint32_t codepoint = lead;
    size_t extra = 0;
    if (lead >= 0xF0) {
      codepoint = lead & 0x07u;
      extra = 3;
    } else if (lead >= 0xE0) {
      codepoint = lead & 0x0Fu;
      extra = 2;
    } else if (lead >= 0xC0) {
      codepoint = lead & 0x1Fu;
      extra = 1;
    } else if (lead >= 0x80) {
      ++p;
      continue;
    }
    if (static_cast<size_t>(end - p) <= extra) break;
    bool valid = true;
    for (size_t i = 1; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) valid = false;
      codepoint = codepoint << 6 | (p[i] & 0x3Fu);
    }
    if (!valid) {
      ++p;
      continue;
    }
    p += 1 + extra;
    if (!in_sequence) map_codepoint(codepoint, glyph);
  }
}

PsfError PsfFont::parse(const uint8_t* data, size_t size, PsfFont* out) {
  PsfFont font;
  for (auto& entry : font.map_) entry = kNoGlyph;
  const uint8_t* table = nullptr;
  if (size >= 4 && data[0] == kPsf1Magic[0] && data[1] == kPsf1Magic[1]) {
    const uint8_t mode = data[2];
    font.version_ = 1;
    font.width_ = 8;
    font.height_ = data[3];
    font.glyph_size_ = data[3];
    font.glyph_count_ = (mode & kPsf1Mode512) ? 512 : 256;
    font.has_unicode_ = (mode & (kPsf1ModeHasTable | kPsf1ModeHasSequences)) != 0;
    if (font.height_ == 0) return PsfError::BadHeader;
    if (size - 4 < static_cast<size_t>(font.glyph_count_) * font.glyph_size_)
      return PsfError::Truncated;
    font.glyphs_ = data + 4;
    table = font.glyphs_ + font.glyph_count_ * font.glyph_size_;
    if (font.has_unicode_) font.build_map_psf1(table, data + size);
  } else if (size >= 4 && data[0] == kPsf2Magic[0] && data[1] == kPsf2Magic[1] &&
             data[2] == kPsf2Magic[2] && data[3] == kPsf2Magic[3]) {
    if (size < 32) return PsfError::TooShort;
    const uint32_t header_size = read_u32(data + 8);
    const uint32_t flags = read_u32(data + 12);
    font.version_ = 2;
    font.glyph_count_ = read_u32(data + 16);
    font.glyph_size_ = read_u32(data + 20);
    font.height_ = read_u32(data + 24);
    font.width_ = read_u32(data + 28);
    font.has_unicode_ = (flags & kPsf2HasUnicodeTable) != 0;
    if (header_size < 32 || header_size > size || font.glyph_count_ == 0 || font.width_ == 0 ||
        font.height_ == 0 || font.width_ > 64 || font.height_ > 128 || font.glyph_count_ > 65535 ||
        font.glyph_size_ != font.bytes_per_row() * font.height_) {
      return PsfError::BadHeader;
    }
    if ((size - header_size) / font.glyph_size_ < font.glyph_count_) return PsfError::Truncated;
    font.glyphs_ = data + header_size;
    table = font.glyphs_ + static_cast<size_t>(font.glyph_count_) * font.glyph_size_;
    if (font.has_unicode_) font.build_map_psf2(table, data + size);
  } else {
    return size < 4 ? PsfError::TooShort : PsfError::BadMagic;
  }
  if (!font.has_unicode_) {
    // Without a table the glyph index is the code point (the classic VGA layout).
    for (uint32_t c = 0; c < 256 && c < font.glyph_count_; ++c)
      font.map_[c] = static_cast<uint16_t>(c);
  }
  *out = font;
  return PsfError::None;
}

const uint8_t* PsfFont::glyph(uint32_t codepoint) const {
  uint32_t index = codepoint < 256 ? map_[codepoint] : kNoGlyph;
  if (index == kNoGlyph) index = map_['?'];
  if (index == kNoGlyph || index >= glyph_count_) index = 0;
  return glyphs_ + static_cast<size_t>(index) * glyph_size_;
}

}  // namespace mu
