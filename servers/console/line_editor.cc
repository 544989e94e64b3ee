// Line editing: the echo keeps a plain terminal's cursor where the editor's cursor is, using
// only printable bytes, ' ', '\b', '\n' and '\a' (line_editor.h lists the conventions).
#include "line_editor.h"

namespace console {
namespace {

void copy_bytes(char* dst, const char* src, size_t count) {
  for (size_t i = 0; i < count; ++i) dst[i] = src[i];
}

}  // namespace

const char* LineEditor::history_entry(size_t age, size_t* length) const {
  if (age >= history_count_) return nullptr;
  const size_t slot = (history_next_ + kHistoryEntries - 1 - age) % kHistoryEntries;
  *length = history_[slot].length;
  return history_[slot].text;
}

void LineEditor::echo_rest(Echo* echo) const {
  echo->put(text_ + cursor_, length_ - cursor_);
}

void LineEditor::insert(char c, Echo* echo) {
  if (length_ >= limit_) {
    echo->put('\a');
    return;
  }
  for (size_t i = length_; i > cursor_; --i) text_[i] = text_[i - 1];
  text_[cursor_] = c;
  ++length_;
  ++cursor_;
  // The new byte, then the bytes it pushed right, then back to just after the new byte.
  echo->put(c);
  echo_rest(echo);
  echo->repeat('\b', length_ - cursor_);
}

void LineEditor::erase_before_cursor(Echo* echo) {
  if (cursor_ == 0) return;
  for (size_t i = cursor_; i < length_; ++i) text_[i - 1] = text_[i];
  --length_;
  --cursor_;
  // Back one, redraw the rest shifted left, blank the now unused last cell, come back.
  echo->put('\b');
  echo_rest(echo);
  echo->put(' ');
  echo->repeat('\b', length_ - cursor_ + 1);
}

void LineEditor::replace_text(const char* text, size_t length, Echo* echo) {
  if (length > limit_) length = limit_;
  echo->repeat('\b', cursor_);
  echo->put(text, length);
  if (length_ > length) {
    echo->repeat(' ', length_ - length);
    echo->repeat('\b', length_ - length);
  }
  copy_bytes(text_, text, length);
  length_ = length;
  cursor_ = length;
}

void LineEditor::remember(const char* text, size_t length) {
  if (length == 0) return;
  size_t newest_length = 0;
  const char* newest = history_entry(0, &newest_length);
  if (newest != nullptr && newest_length == length) {
    bool same = true;
    for (size_t i = 0; i < length && same; ++i) same = newest[i] == text[i];
    if (same) return;  // a repeated command is kept once
  }
  Entry& entry = history_[history_next_];
  copy_bytes(entry.text, text, length);
  entry.length = length;
  history_next_ = (history_next_ + 1) % kHistoryEntries;
  if (history_count_ < kHistoryEntries) ++history_count_;
}

void LineEditor::browse(bool older, Echo* echo) {
  size_t age = 0;
  if (older) {
    age = browse_age_ == kNotBrowsing ? 0 : browse_age_ + 1;
    if (age >= history_count_) return;  // nothing older
    if (browse_age_ == kNotBrowsing) {
      copy_bytes(draft_.text, text_, length_);
      draft_.length = length_;
    }
  } else {
    if (browse_age_ == kNotBrowsing) return;  // nothing newer than the line being typed
    if (browse_age_ == 0) {
      browse_age_ = kNotBrowsing;
      replace_text(draft_.text, draft_.length, echo);
      return;
    }
    age = browse_age_ - 1;
  }
  browse_age_ = age;
  size_t length = 0;
  const char* text = history_entry(age, &length);
  replace_text(text, length, echo);
}

void LineEditor::finish() {
  copy_bytes(done_, text_, length_);
  done_length_ = length_;
  length_ = 0;
  cursor_ = 0;
  browse_age_ = kNotBrowsing;
}

LineEditor::Event LineEditor::feed(Key key, Echo* echo) {
  switch (key.kind) {
    case KeyKind::None: return Event::None;
    case KeyKind::Char:
      // Only printable bytes enter the line (key_from_byte makes nothing else a Char).
      if (static_cast<uint8_t>(key.ch) >= 0x20 && static_cast<uint8_t>(key.ch) < 0x7F)
        insert(key.ch, echo);
      return Event::None;
    case KeyKind::Backspace: erase_before_cursor(echo); return Event::None;
    case KeyKind::Left:
      if (cursor_ > 0) {
        --cursor_;
        echo->put('\b');
      }
      return Event::None;
    case KeyKind::Right:
      if (cursor_ < length_) echo->put(text_[cursor_++]);
      return Event::None;
    case KeyKind::Up: browse(true, echo); return Event::None;
    case KeyKind::Down: browse(false, echo); return Event::None;
    case KeyKind::KillLine:
      replace_text(text_, 0, echo);
      browse_age_ = kNotBrowsing;
      return Event::None;
    case KeyKind::Enter:
      echo_rest(echo);
      echo->put('\n');
      remember(text_, length_);
      finish();
      return Event::Line;
    case KeyKind::Interrupt:
      echo_rest(echo);
      echo->put("^C\n", 3);
      finish();
      done_length_ = 0;
      return Event::Interrupted;
  }
  return Event::None;
}

}  // namespace console
