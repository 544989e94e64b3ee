// Host tests of PS/2 scan code set 1 decoding (servers/console/keyboard.cc).
#include "keyboard.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using console::Key;
using console::KeyboardDecoder;
using console::KeyKind;

// Make code, then break code (make | 0x80).
std::vector<uint8_t> press(uint8_t make) { return {make, static_cast<uint8_t>(make | 0x80)}; }

class KeyboardTest : public ::testing::Test {
 protected:
  std::vector<Key> feed(const std::vector<uint8_t>& codes) {
    std::vector<Key> keys;
    for (uint8_t c : codes) {
      const Key k = decoder_.feed(c);
      if (k.kind != KeyKind::None) keys.push_back(k);
    }
    return keys;
  }
  // The characters of Char keys, other kinds as '<n>'.
  std::string chars(const std::vector<uint8_t>& codes) {
    std::string out;
    for (const Key& k : feed(codes)) {
      if (k.kind == KeyKind::Char) {
        out += k.ch;
      } else {
        out += "<" + std::to_string(static_cast<int>(k.kind)) + ">";
      }
    }
    return out;
  }
  KeyboardDecoder decoder_;
};

constexpr uint8_t kA = 0x1E, kC = 0x2E, kU = 0x16, k1 = 0x02, kSpace = 0x39, kSlash = 0x35;
constexpr uint8_t kLeftShift = 0x2A, kRightShift = 0x36, kCtrl = 0x1D, kCaps = 0x3A;

TEST_F(KeyboardTest, LettersDigitsAndReleases) {
  std::vector<uint8_t> codes;
  for (uint8_t c : {kA, k1, kSpace, kSlash, static_cast<uint8_t>(0x29)}) {
    auto p = press(c);
    codes.insert(codes.end(), p.begin(), p.end());
  }
  EXPECT_EQ(chars(codes), "a1 /`");
}

TEST_F(KeyboardTest, ShiftGivesUpperCaseAndSymbols) {
  EXPECT_EQ(chars({kLeftShift, kA, k1, 0x0C, 0x27, static_cast<uint8_t>(kLeftShift | 0x80), kA}),
            "A!_:a");
  EXPECT_EQ(chars({kRightShift, 0x28, static_cast<uint8_t>(kRightShift | 0x80), 0x28}), "\"'");
  EXPECT_FALSE(decoder_.shift());
}

TEST_F(KeyboardTest, CapsLockTogglesLettersOnly) {
  EXPECT_EQ(chars({kCaps, static_cast<uint8_t>(kCaps | 0x80), kA, k1}), "A1");
  EXPECT_TRUE(decoder_.caps_lock());
  EXPECT_EQ(chars({kLeftShift, kA, k1, static_cast<uint8_t>(kLeftShift | 0x80)}), "a!");
  EXPECT_EQ(chars({kCaps, static_cast<uint8_t>(kCaps | 0x80), kA}), "a");
  EXPECT_FALSE(decoder_.caps_lock());
}

TEST_F(KeyboardTest, ControlKeys) {
  auto keys = feed({kCtrl, kC, static_cast<uint8_t>(kC | 0x80), kU,
                    static_cast<uint8_t>(kCtrl | 0x80), kC});
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys[0].kind, KeyKind::Interrupt);
  EXPECT_EQ(keys[1].kind, KeyKind::KillLine);
  EXPECT_EQ(keys[2].kind, KeyKind::Char);
  EXPECT_EQ(keys[2].ch, 'c');
  // Right ctrl (E0 1D) works the same; other ctrl chords give nothing.
  keys = feed({0xE0, kCtrl, kC, kA, k1, 0xE0, static_cast<uint8_t>(kCtrl | 0x80)});
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].kind, KeyKind::Interrupt);
  EXPECT_FALSE(decoder_.ctrl());
}

TEST_F(KeyboardTest, EnterBackspaceAndTab) {
  auto keys = feed({0x1C, 0x9C, 0x0E, 0x8E, 0x0F, 0xE0, 0x1C});
  ASSERT_EQ(keys.size(), 4u);
  EXPECT_EQ(keys[0].kind, KeyKind::Enter);
  EXPECT_EQ(keys[1].kind, KeyKind::Backspace);
  EXPECT_EQ(keys[2].kind, KeyKind::Char);  // tab types a space
  EXPECT_EQ(keys[2].ch, ' ');
  EXPECT_EQ(keys[3].kind, KeyKind::Enter);  // keypad Enter
}

TEST_F(KeyboardTest, ExtendedArrows) {
  auto keys = feed({0xE0, 0x48, 0xE0, 0xC8, 0xE0, 0x50, 0xE0, 0x4B, 0xE0, 0x4D, 0xE0, 0xCD});
  ASSERT_EQ(keys.size(), 4u);
  EXPECT_EQ(keys[0].kind, KeyKind::Up);
  EXPECT_EQ(keys[1].kind, KeyKind::Down);
  EXPECT_EQ(keys[2].kind, KeyKind::Left);
  EXPECT_EQ(keys[3].kind, KeyKind::Right);
}

TEST_F(KeyboardTest, FakeShiftsAndPauseAreIgnored) {
  // E0 2A / E0 AA around a cursor key (print screen, num lock games) must not latch shift.
  EXPECT_EQ(chars({0xE0, 0x2A, 0xE0, 0x4B, 0xE0, 0xAA, kA}), "<4>a");
  EXPECT_FALSE(decoder_.shift());
  EXPECT_EQ(chars({0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5, kA}), "a");
}

TEST_F(KeyboardTest, UnknownCodesGiveNothing) {
  EXPECT_EQ(chars({0x01, 0x3B, 0x58, 0x7F, 0xFF, 0x00}), "");  // Esc, F1, F12, junk
}

}  // namespace
