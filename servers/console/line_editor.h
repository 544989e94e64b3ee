// The console's line editor: pure (no I/O), fed one Key at a time; it keeps the line being
// typed and a history, and emits the bytes that show the edit on a terminal (the serial port
// and the screen's text console get the same bytes).
//
// Echo conventions (what a test reading the serial output sees; only these bytes are used):
//   - a typed character at the end of the line: the character itself;
//   - in the middle: the character, the rest of the line, then one '\b' per byte of that rest
//     (back to the new cursor position);
//   - Backspace: '\b', the rest of the line, ' ', then '\b' for the rest plus one;
//   - Left: '\b'; Right: the byte the cursor passes over;
//   - Ctrl-U and history recall: '\b' to the start of the line, the new text (nothing for
//     Ctrl-U), spaces over what is left of the old text, '\b' back over those spaces;
//   - Enter: the rest of the line (so the terminal's cursor is at its end), then '\n';
//   - Ctrl-C: the rest of the line, then "^C\n";
//   - a refused byte (line full) or a key with nothing to do (Backspace at the start, Left at
//     the start, Right at the end, Up/Down past the history): '\a' for a full line, nothing
//     otherwise.
// The screen's text console moves left on '\b' (across a wrapped line) and ignores '\a'.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "keys.h"
#include "mu/proto/console.h"

namespace console {

inline constexpr size_t kMaxLine = mu::proto::console::kMaxLineBytes;

// The echo of one key. Its capacity covers the largest echo (a history recall over a full line
// with the cursor at its end); put() never writes past it.
struct Echo {
  static constexpr size_t kCapacity = 4 * kMaxLine + 16;
  char bytes[kCapacity] = {};
  size_t length = 0;

  void put(char c) {
    if (length < kCapacity) bytes[length++] = c;
  }
  void put(const char* data, size_t count) {
    for (size_t i = 0; i < count; ++i) put(data[i]);
  }
  void repeat(char c, size_t count) {
    for (size_t i = 0; i < count; ++i) put(c);
  }
  void clear() { length = 0; }
};

class LineEditor {
 public:
  static constexpr size_t kHistoryEntries = 16;

  enum class Event : uint8_t {
    None,         // still editing
    Line,         // Enter: the line is in line()/line_length()
    Interrupted,  // Ctrl-C: the line was abandoned
  };

  // Applies one key; appends its echo to `echo`.
  Event feed(Key key, Echo* echo);

  // The line Enter finished (valid until the next feed).
  [[nodiscard]] const char* line() const { return done_; }
  [[nodiscard]] size_t line_length() const { return done_length_; }

  // Bytes allowed in a line (clamped to kMaxLine); text already longer stays, but nothing more
  // is inserted. The console sets it from each ReadLine's maximum.
  void set_limit(size_t limit) { limit_ = limit < kMaxLine ? limit : kMaxLine; }
  [[nodiscard]] size_t limit() const { return limit_; }

  // The line being edited and the cursor in it (for tests and redraws).
  [[nodiscard]] const char* text() const { return text_; }
  [[nodiscard]] size_t length() const { return length_; }
  [[nodiscard]] size_t cursor() const { return cursor_; }
  [[nodiscard]] size_t history_size() const { return history_count_; }
  // History entry `age` (0 = the most recent), nullptr past the oldest.
  [[nodiscard]] const char* history_entry(size_t age, size_t* length) const;

 private:
  struct Entry {
    char text[kMaxLine];
    size_t length;
  };

  void insert(char c, Echo* echo);
  void erase_before_cursor(Echo* echo);
  void echo_rest(Echo* echo) const;  // from the cursor to the end; the cursor ends there
  void replace_text(const char* text, size_t length, Echo* echo);
  void finish();
  void remember(const char* text, size_t length);
  void browse(bool older, Echo* echo);

  char text_[kMaxLine] = {};
  size_t length_ = 0;
  size_t cursor_ = 0;
  size_t limit_ = kMaxLine;

  char done_[kMaxLine] = {};
  size_t done_length_ = 0;

  Entry history_[kHistoryEntries] = {};
  size_t history_next_ = 0;   // ring slot the next entry goes to
  size_t history_count_ = 0;
  // While browsing: the age of the entry shown (0 = newest), and the line typed before the
  // first Up (restored by Down past the newest entry).
  static constexpr size_t kNotBrowsing = ~size_t{0};
  size_t browse_age_ = kNotBrowsing;
  Entry draft_ = {};
};

}  // namespace console
