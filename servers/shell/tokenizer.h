// Splits a command line into words (pure: no system calls, host unit-tested).
//
// Words are separated by spaces or tabs. Single or double quotes group a word that contains
// blanks ('a b' or "a b"); quotes may sit inside a word (ab"c d"e is one word "abc de"). There
// are no escapes. Control characters (other than tab) and bytes >= 0x7F are refused rather than
// passed on, so a stray Ctrl-key or a binary paste cannot reach a command or the terminal.
#pragma once

#include <stddef.h>

namespace shell {

inline constexpr size_t kMaxWords = 16;
inline constexpr size_t kMaxLineBytes = 512;

enum class TokenizeStatus {
  Ok,
  TooManyWords,      // more than kMaxWords words
  UnclosedQuote,     // a ' or " without its partner
  ControlCharacter,  // a byte < 0x20 (not tab) or >= 0x7F
  TooLong,           // the line has more than kMaxLineBytes bytes
};

struct Words {
  size_t count = 0;
  const char* word[kMaxWords] = {};  // NUL-terminated, pointing into `storage`
  char storage[kMaxLineBytes + kMaxWords + 1] = {};
};

// Splits line[0..length) into `out`. On an error `out->count` is 0. `error_offset` (if not
// null) receives the byte offset the error was found at.
TokenizeStatus tokenize(const char* line, size_t length, Words* out, size_t* error_offset);

// A short description ("unclosed quote", ...).
const char* tokenize_status_string(TokenizeStatus status);

}  // namespace shell
