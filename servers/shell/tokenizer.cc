// Command-line splitting (tokenizer.h).
#include "tokenizer.h"

namespace shell {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

bool is_refused(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return (byte < 0x20 && c != '\t') || byte >= 0x7F;
}

}  // namespace

TokenizeStatus tokenize(const char* line, size_t length, Words* out, size_t* error_offset) {
  out->count = 0;
  auto fail = [&](TokenizeStatus status, size_t offset) {
    out->count = 0;
    if (error_offset != nullptr) *error_offset = offset;
    return status;
  };
  if (length > kMaxLineBytes) return fail(TokenizeStatus::TooLong, kMaxLineBytes);

  size_t used = 0;  // bytes of `storage` written; each word needs its bytes plus a NUL
  size_t i = 0;
  while (i < length) {
    if (is_refused(line[i])) return fail(TokenizeStatus::ControlCharacter, i);
    if (is_blank(line[i])) {
      ++i;
      continue;
    }
    if (out->count == kMaxWords) return fail(TokenizeStatus::TooManyWords, i);
    char* word = &out->storage[used];
    char quote = '\0';
    size_t quote_start = 0;
    // One word: until a blank outside quotes or the end of the line.
    for (; i < length; ++i) {
      const char c = line[i];
      if (is_refused(c)) return fail(TokenizeStatus::ControlCharacter, i);
      if (quote != '\0') {
        if (c == quote) {
          quote = '\0';
        } else {
          out->storage[used++] = c;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        quote_start = i;
      } else if (is_blank(c)) {
        break;
      } else {
        out->storage[used++] = c;
      }
    }
    if (quote != '\0') return fail(TokenizeStatus::UnclosedQuote, quote_start);
    out->storage[used++] = '\0';
    out->word[out->count++] = word;
  }
  return TokenizeStatus::Ok;
}

const char* tokenize_status_string(TokenizeStatus status) {
  switch (status) {
    case TokenizeStatus::Ok: return "ok";
    case TokenizeStatus::TooManyWords: return "too many words";
    case TokenizeStatus::UnclosedQuote: return "unclosed quote";
    case TokenizeStatus::ControlCharacter: return "control character in input";
    case TokenizeStatus::TooLong: return "line too long";
  }
  return "bad input";
}

}  // namespace shell
