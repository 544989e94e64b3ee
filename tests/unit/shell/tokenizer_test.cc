// The shell's command-line tokenizer (servers/shell/tokenizer.h).
#include "tokenizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using shell::TokenizeStatus;

struct Split {
  TokenizeStatus status;
  std::vector<std::string> words;
  size_t error_offset;
};

Split split(const std::string& line) {
  shell::Words words;
  size_t offset = 12345;
  Split result{shell::tokenize(line.data(), line.size(), &words, &offset), {}, offset};
  for (size_t i = 0; i < words.count; ++i) result.words.emplace_back(words.word[i]);
  return result;
}

using W = std::vector<std::string>;

TEST(Tokenizer, EmptyAndBlankLinesHaveNoWords) {
  EXPECT_EQ(split("").words, W{});
  EXPECT_EQ(split("   \t  ").status, TokenizeStatus::Ok);
  EXPECT_EQ(split("   \t  ").words, W{});
}

TEST(Tokenizer, SplitsOnSpacesAndTabs) {
  EXPECT_EQ(split("echo a b").words, (W{"echo", "a", "b"}));
  EXPECT_EQ(split("  run\t/bin/hello   x\t").words, (W{"run", "/bin/hello", "x"}));
}

TEST(Tokenizer, QuotesGroupBlanksAndMayBeEmpty) {
  EXPECT_EQ(split("echo 'a b' \"c\td\"").words, (W{"echo", "a b", "c\td"}));
  EXPECT_EQ(split("echo ab\"c d\"e").words, (W{"echo", "abc de"}));
  EXPECT_EQ(split("echo '' x").words, (W{"echo", "", "x"}));
  EXPECT_EQ(split("echo \"it's\" 'say \"hi\"'").words, (W{"echo", "it's", "say \"hi\""}));
}

TEST(Tokenizer, UnclosedQuoteIsAnErrorAtTheQuote) {
  const Split s = split("echo 'abc");
  EXPECT_EQ(s.status, TokenizeStatus::UnclosedQuote);
  EXPECT_EQ(s.words, W{});
  EXPECT_EQ(s.error_offset, 5u);
}

TEST(Tokenizer, ControlCharactersAreRefused) {
  for (const std::string& line : {std::string("ab\x01") + "c", std::string("\x1b[A"),
                                 std::string("echo \x7f"), std::string("x\ry"),
                                 std::string("a\0b", 3), std::string("'\x02'"),
                                 std::string("\xc3\xa9")}) {
    const Split s = split(line);
    EXPECT_EQ(s.status, TokenizeStatus::ControlCharacter) << line;
    EXPECT_EQ(s.words, W{});
  }
  EXPECT_EQ(split("ab\x01").error_offset, 2u);
}

TEST(Tokenizer, WordLimit) {
  std::string line;
  for (size_t i = 0; i < shell::kMaxWords; ++i) line += "w ";
  EXPECT_EQ(split(line).status, TokenizeStatus::Ok);
  EXPECT_EQ(split(line).words.size(), shell::kMaxWords);
  EXPECT_EQ(split(line + "extra").status, TokenizeStatus::TooManyWords);
  EXPECT_EQ(split(line + "extra").words, W{});
}

TEST(Tokenizer, LongestLineFitsAndLongerIsRefused) {
  EXPECT_EQ(split(std::string(shell::kMaxLineBytes, 'x')).words,
            W{std::string(shell::kMaxLineBytes, 'x')});
  // The worst case for the word storage: kMaxWords one-letter words fill every NUL slot.
  std::string many;
  for (size_t i = 0; i < shell::kMaxWords; ++i) many += "a ";
  many += std::string(shell::kMaxLineBytes - many.size(), ' ');
  EXPECT_EQ(split(many).words.size(), shell::kMaxWords);
  const Split s = split(std::string(shell::kMaxLineBytes + 1, 'x'));
  EXPECT_EQ(s.status, TokenizeStatus::TooLong);
  EXPECT_EQ(s.words, W{});
  EXPECT_EQ(split(std::string(2000, 'x')).status, TokenizeStatus::TooLong);
}

TEST(Tokenizer, EveryByteIsHandled) {
  // No input byte makes the tokenizer misbehave (ASan/UBSan watch): all 256 values, alone and
  // inside quotes.
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    for (const std::string& line : {std::string(1, c), "x" + std::string(1, c) + "y",
                                    "'" + std::string(1, c) + "'"}) {
      const Split s = split(line);
      if (s.status == TokenizeStatus::Ok) {
        EXPECT_LE(s.words.size(), 2u);
      }
    }
  }
}

TEST(Tokenizer, StatusStrings) {
  EXPECT_STREQ(shell::tokenize_status_string(TokenizeStatus::UnclosedQuote), "unclosed quote");
  EXPECT_STREQ(shell::tokenize_status_string(TokenizeStatus::ControlCharacter),
               "control character in input");
}

}  // namespace
