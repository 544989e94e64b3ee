// Host tests of the console's line editor (servers/console/line_editor.cc): the line it
// returns and the exact echo bytes a serial reader sees.
#include "line_editor.h"

#include <gtest/gtest.h>

#include <string>

namespace {

using console::Echo;
using console::Key;
using console::KeyKind;
using console::LineEditor;
using Event = LineEditor::Event;

Key ch(char c) { return Key{KeyKind::Char, c}; }
Key key(KeyKind kind) { return Key{kind, 0}; }

class EditorTest : public ::testing::Test {
 protected:
  // Feeds the keys; returns their combined echo. The last event is in last_.
  std::string feed(std::initializer_list<Key> keys) {
    std::string out;
    for (Key k : keys) {
      echo_.clear();
      last_ = editor_.feed(k, &echo_);
      out.append(echo_.bytes, echo_.length);
    }
    return out;
  }
  std::string type(const std::string& text) {
    std::string out;
    for (char c : text) out += feed({ch(c)});
    return out;
  }
  std::string line() const { return std::string(editor_.line(), editor_.line_length()); }
  std::string text() const { return std::string(editor_.text(), editor_.length()); }
  // Replays an echo on a one-line terminal model: '\b' moves left, other bytes overwrite;
  // returns the visible text (trailing blanks trimmed) and the cursor position.
  static std::string screen(const std::string& echo, size_t* cursor = nullptr) {
    std::string cells;
    size_t at = 0;
    for (char c : echo) {
      if (c == '\b') {
        if (at > 0) --at;
      } else if (c == '\a') {
      } else {
        if (at >= cells.size()) cells.resize(at + 1, ' ');
        cells[at++] = c;
      }
    }
    while (!cells.empty() && cells.back() == ' ') cells.pop_back();
    if (cursor != nullptr) *cursor = at;
    return cells;
  }

  LineEditor editor_;
  Echo echo_;
  Event last_ = Event::None;
};

TEST_F(EditorTest, TypingEchoesAndEnterEndsTheLine) {
  EXPECT_EQ(type("ls -l"), "ls -l");
  EXPECT_EQ(last_, Event::None);
  EXPECT_EQ(feed({key(KeyKind::Enter)}), "\n");
  EXPECT_EQ(last_, Event::Line);
  EXPECT_EQ(line(), "ls -l");
  EXPECT_EQ(editor_.length(), 0u);
  EXPECT_EQ(editor_.cursor(), 0u);
}

TEST_F(EditorTest, EmptyLine) {
  EXPECT_EQ(feed({key(KeyKind::Enter)}), "\n");
  EXPECT_EQ(last_, Event::Line);
  EXPECT_EQ(line(), "");
  EXPECT_EQ(editor_.history_size(), 0u);  // empty lines are not remembered
}

TEST_F(EditorTest, BackspaceAtTheEnd) {
  type("abc");
  EXPECT_EQ(feed({key(KeyKind::Backspace)}), "\b \b");
  EXPECT_EQ(text(), "ab");
  EXPECT_EQ(feed({key(KeyKind::Backspace), key(KeyKind::Backspace)}), "\b \b\b \b");
  EXPECT_EQ(feed({key(KeyKind::Backspace)}), "");  // nothing left: no echo
  EXPECT_EQ(text(), "");
}

TEST_F(EditorTest, InsertAndDeleteInTheMiddle) {
  std::string all = type("acd");
  EXPECT_EQ(feed({key(KeyKind::Left), key(KeyKind::Left)}), "\b\b");
  EXPECT_EQ(editor_.cursor(), 1u);
  EXPECT_EQ(feed({ch('b')}), "bcd\b\b");
  EXPECT_EQ(text(), "abcd");
  EXPECT_EQ(editor_.cursor(), 2u);
  EXPECT_EQ(feed({key(KeyKind::Backspace)}), "\bcd \b\b\b");
  EXPECT_EQ(text(), "acd");
  EXPECT_EQ(editor_.cursor(), 1u);
  EXPECT_EQ(feed({key(KeyKind::Right)}), "c");
  EXPECT_EQ(feed({key(KeyKind::Enter)}), "d\n");  // the rest, so the terminal is at the end
  EXPECT_EQ(line(), "acd");
}

TEST_F(EditorTest, EchoReplaysToTheEditedText) {
  std::string all = type("hello world");
  for (int i = 0; i < 5; ++i) all += feed({key(KeyKind::Left)});
  all += feed({key(KeyKind::Backspace)});
  all += type("_");
  all += feed({key(KeyKind::Right), key(KeyKind::Right)});
  all += type("X");
  size_t cursor = 0;
  EXPECT_EQ(screen(all, &cursor), "hello_woXrld");
  EXPECT_EQ(text(), "hello_woXrld");
  EXPECT_EQ(cursor, editor_.cursor());
}

TEST_F(EditorTest, CursorStopsAtBothEnds) {
  type("ab");
  EXPECT_EQ(feed({key(KeyKind::Right)}), "");
  EXPECT_EQ(feed({key(KeyKind::Left), key(KeyKind::Left), key(KeyKind::Left)}), "\b\b");
  EXPECT_EQ(editor_.cursor(), 0u);
  EXPECT_EQ(feed({key(KeyKind::Backspace)}), "");
  EXPECT_EQ(text(), "ab");
}

TEST_F(EditorTest, KillLineErasesEverything) {
  std::string all = type("some text");
  all += feed({key(KeyKind::Left), key(KeyKind::Left)});
  const std::string kill = feed({key(KeyKind::KillLine)});
  EXPECT_EQ(kill, std::string(7, '\b') + std::string(9, ' ') + std::string(9, '\b'));
  all += kill;
  size_t cursor = 99;
  EXPECT_EQ(screen(all, &cursor), "");
  EXPECT_EQ(cursor, 0u);
  EXPECT_EQ(text(), "");
  EXPECT_EQ(editor_.cursor(), 0u);
}

TEST_F(EditorTest, InterruptAbandonsTheLine) {
  type("abc");
  feed({key(KeyKind::Left)});
  EXPECT_EQ(feed({key(KeyKind::Interrupt)}), "c^C\n");
  EXPECT_EQ(last_, Event::Interrupted);
  EXPECT_EQ(line(), "");
  EXPECT_EQ(text(), "");
  EXPECT_EQ(editor_.history_size(), 0u);
}

TEST_F(EditorTest, HistoryUpAndDown) {
  type("first");
  feed({key(KeyKind::Enter)});
  type("second");
  feed({key(KeyKind::Enter)});
  std::string all = type("dra");
  const std::string up = feed({key(KeyKind::Up)});
  EXPECT_EQ(up, "\b\b\bsecond");
  EXPECT_EQ(text(), "second");
  all += up;
  all += feed({key(KeyKind::Up)});
  EXPECT_EQ(text(), "first");
  EXPECT_EQ(feed({key(KeyKind::Up)}), "");  // no older entry
  all += feed({key(KeyKind::Down)});
  EXPECT_EQ(text(), "second");
  const std::string down = feed({key(KeyKind::Down)});  // back to the draft
  EXPECT_EQ(down, "\b\b\b\b\b\bdra   \b\b\b");
  all += down;
  EXPECT_EQ(text(), "dra");
  EXPECT_EQ(screen(all), "dra");
  EXPECT_EQ(feed({key(KeyKind::Down)}), "");
  feed({key(KeyKind::Up), key(KeyKind::Enter)});
  EXPECT_EQ(line(), "second");
  EXPECT_EQ(editor_.history_size(), 2u);  // the repeated line is kept once
}

TEST_F(EditorTest, HistoryKeepsTheNewestSixteen) {
  for (int i = 0; i < 20; ++i) {
    type("cmd" + std::to_string(i));
    feed({key(KeyKind::Enter)});
  }
  EXPECT_EQ(editor_.history_size(), LineEditor::kHistoryEntries);
  size_t length = 0;
  const char* newest = editor_.history_entry(0, &length);
  EXPECT_EQ(std::string(newest, length), "cmd19");
  const char* oldest = editor_.history_entry(15, &length);
  EXPECT_EQ(std::string(oldest, length), "cmd4");
  EXPECT_EQ(editor_.history_entry(16, &length), nullptr);
  for (int i = 0; i < 16; ++i) feed({key(KeyKind::Up)});
  EXPECT_EQ(text(), "cmd4");
  EXPECT_EQ(feed({key(KeyKind::Up)}), "");
}

TEST_F(EditorTest, FullLineRefusesMoreBytes) {
  const std::string full(console::kMaxLine, 'x');
  EXPECT_EQ(type(full), full);
  EXPECT_EQ(feed({ch('y')}), "\a");
  EXPECT_EQ(text(), full);
  feed({key(KeyKind::Left)});
  EXPECT_EQ(feed({ch('y')}), "\a");  // also in the middle
  feed({key(KeyKind::Enter)});
  EXPECT_EQ(line(), full);
}

TEST_F(EditorTest, LimitFromTheReader) {
  editor_.set_limit(3);
  EXPECT_EQ(type("abcd"), "abc\a");
  editor_.set_limit(100000);
  EXPECT_EQ(editor_.limit(), console::kMaxLine);
}

TEST_F(EditorTest, RecalledEntriesLongerThanTheLimitAreCut) {
  type("abcdef");
  feed({key(KeyKind::Enter)});
  editor_.set_limit(4);
  EXPECT_EQ(feed({key(KeyKind::Up)}), "abcd");
  EXPECT_EQ(text(), "abcd");
}

TEST_F(EditorTest, ControlBytesAreIgnored) {
  EXPECT_EQ(feed({ch('\x01'), ch('\x1b'), ch('\x7f'), key(KeyKind::None)}), "");
  EXPECT_EQ(text(), "");
}

TEST_F(EditorTest, LargestEchoFitsTheBuffer) {
  // Cursor at the end of a full line, recall a full-length entry: every byte must be kept.
  const std::string a(console::kMaxLine, 'a'), b(console::kMaxLine, 'b');
  type(a);
  feed({key(KeyKind::Enter)});
  type(b);
  const std::string up = feed({key(KeyKind::Up)});
  EXPECT_EQ(up, std::string(console::kMaxLine, '\b') + a);
  const std::string down = feed({key(KeyKind::Down)});
  EXPECT_EQ(down, std::string(console::kMaxLine, '\b') + b);
  EXPECT_LE(4 * console::kMaxLine, Echo::kCapacity);
}

}  // namespace
