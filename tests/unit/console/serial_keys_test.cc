// Host tests of serial input decoding (servers/console/serial_keys.cc).
#include "serial_keys.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using console::KeyKind;
using console::SerialKeyDecoder;

std::vector<KeyKind> kinds(const std::string& bytes, std::string* chars = nullptr) {
  SerialKeyDecoder decoder;
  std::vector<KeyKind> out;
  for (char c : bytes) {
    const auto key = decoder.feed(static_cast<uint8_t>(c));
    if (key.kind == KeyKind::None) continue;
    out.push_back(key.kind);
    if (key.kind == KeyKind::Char && chars != nullptr) *chars += key.ch;
  }
  return out;
}

TEST(SerialKeys, PlainBytes) {
  std::string chars;
  EXPECT_EQ(kinds("ab \x7f\x08\x03\x15", &chars),
            (std::vector<KeyKind>{KeyKind::Char, KeyKind::Char, KeyKind::Char,
                                  KeyKind::Backspace, KeyKind::Backspace, KeyKind::Interrupt,
                                  KeyKind::KillLine}));
  EXPECT_EQ(chars, "ab ");
}

TEST(SerialKeys, EnterFromCrLfOrCrLf) {
  EXPECT_EQ(kinds("\r"), std::vector<KeyKind>{KeyKind::Enter});
  EXPECT_EQ(kinds("\n"), std::vector<KeyKind>{KeyKind::Enter});
  EXPECT_EQ(kinds("\r\n"), std::vector<KeyKind>{KeyKind::Enter});
  EXPECT_EQ(kinds("\r\r"), (std::vector<KeyKind>{KeyKind::Enter, KeyKind::Enter}));
  EXPECT_EQ(kinds("\n\n"), (std::vector<KeyKind>{KeyKind::Enter, KeyKind::Enter}));
}

TEST(SerialKeys, CursorSequences) {
  EXPECT_EQ(kinds("\x1b[A\x1b[B\x1b[C\x1b[D\x1bOA"),
            (std::vector<KeyKind>{KeyKind::Up, KeyKind::Down, KeyKind::Right, KeyKind::Left,
                                  KeyKind::Up}));
}

TEST(SerialKeys, OtherSequencesAreSwallowed) {
  std::string chars;
  // Delete (ESC [ 3 ~), F5 (ESC [ 15 ~), a lone ESC before a letter, control bytes.
  EXPECT_EQ(kinds("\x1b[3~x\x1b[15~y\x1bz\x01\x1b", &chars),
            (std::vector<KeyKind>{KeyKind::Char, KeyKind::Char, KeyKind::Char}));
  EXPECT_EQ(chars, "xyz");
}

TEST(SerialKeys, BrokenSequenceRecovers) {
  std::string chars;
  EXPECT_EQ(kinds("\x1b[\x01q", &chars), std::vector<KeyKind>{KeyKind::Char});
  EXPECT_EQ(chars, "q");
}

}  // namespace
