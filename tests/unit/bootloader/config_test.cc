// Host tests for muboot's config parser (bootloader/src/config.cc).
#include "config.h"

#include <gtest/gtest.h>

#include <string>

namespace muboot {
namespace {

ConfigParseResult parse(const std::string& text) {
  ConfigParseResult result{};
  parse_config(text.data(), text.size(), &result);
  return result;
}

TEST(ConfigTest, EmptyFileGivesDefaults) {
  const ConfigParseResult r = parse("");
  EXPECT_STREQ(r.config.kernel, "\\boot\\kernel.elf");
  EXPECT_STREQ(r.config.initrd, "\\boot\\initrd.cpio");
  EXPECT_STREQ(r.config.cmdline, "");
  EXPECT_EQ(r.config.video.request, VideoRequest::Default);
  EXPECT_EQ(r.warning_count, 0u);
}

TEST(ConfigTest, AllKeysWithAndWithoutSpaces) {
  const ConfigParseResult r = parse(
      "kernel = \\k\\a.elf\n"
      "initrd=\\i.cpio\n"
      "cmdline =  init=/bin/sh  quiet \n"
      "video=1024x768\n");
  EXPECT_STREQ(r.config.kernel, "\\k\\a.elf");
  EXPECT_STREQ(r.config.initrd, "\\i.cpio");
  EXPECT_STREQ(r.config.cmdline, "init=/bin/sh  quiet");
  EXPECT_EQ(r.config.video.request, VideoRequest::Size);
  EXPECT_EQ(r.config.video.width, 1024u);
  EXPECT_EQ(r.config.video.height, 768u);
  EXPECT_EQ(r.warning_count, 0u);
}

TEST(ConfigTest, CommentsBlankLinesCrlfAndBom) {
  const ConfigParseResult r = parse(
      "\xEF\xBB\xBF# comment\r\n"
      "\r\n"
      "   \t\n"
      "  # indented comment\n"
      "cmdline = a#b c # trailing comment\r\n"
      "video = keep\r\n");
  EXPECT_STREQ(r.config.cmdline, "a#b c");
  EXPECT_EQ(r.config.video.request, VideoRequest::Keep);
  EXPECT_EQ(r.warning_count, 0u);
}

TEST(ConfigTest, ForwardSlashesBecomeBackslashes) {
  const ConfigParseResult r = parse("kernel = /boot/other.elf\n");
  EXPECT_STREQ(r.config.kernel, "\\boot\\other.elf");
}

TEST(ConfigTest, EmptyCmdlineIsValid) {
  const ConfigParseResult r = parse("cmdline =\n");
  EXPECT_STREQ(r.config.cmdline, "");
  EXPECT_EQ(r.warning_count, 0u);
}

TEST(ConfigTest, UnknownKeyWarnsWithLineNumber) {
  const ConfigParseResult r = parse("\n\nfoo = bar\n");
  ASSERT_EQ(r.warning_count, 1u);
  EXPECT_EQ(r.warnings[0].line, 3u);
  EXPECT_EQ(r.warnings[0].kind, ConfigWarningKind::UnknownKey);
  EXPECT_STREQ(r.warnings[0].key, "foo");
}

TEST(ConfigTest, MalformedLines) {
  const ConfigParseResult r = parse("no equals sign\n= value\nKernel = \\x\nke y = 1\n");
  ASSERT_EQ(r.warning_count, 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(r.warnings[i].kind, ConfigWarningKind::Malformed);
    EXPECT_EQ(r.warnings[i].line, i + 1);
  }
  EXPECT_STREQ(r.config.kernel, "\\boot\\kernel.elf");
}

TEST(ConfigTest, CmdlineLengthLimit) {
  const std::string ok(255, 'a');
  ConfigParseResult r = parse("cmdline = " + ok + "\n");
  EXPECT_EQ(r.warning_count, 0u);
  EXPECT_EQ(std::string(r.config.cmdline), ok);

  r = parse("cmdline = " + ok + "b\n");
  ASSERT_EQ(r.warning_count, 1u);
  EXPECT_EQ(r.warnings[0].kind, ConfigWarningKind::ValueTooLong);
  EXPECT_STREQ(r.config.cmdline, "");
}

TEST(ConfigTest, PathLengthLimitAndShape) {
  ConfigParseResult r = parse("kernel = \\" + std::string(kConfigPathMax, 'k') + "\n");
  ASSERT_EQ(r.warning_count, 1u);
  EXPECT_EQ(r.warnings[0].kind, ConfigWarningKind::ValueTooLong);
  EXPECT_STREQ(r.config.kernel, kDefaultKernelPath);

  r = parse("initrd = relative.cpio\nkernel =\n");
  ASSERT_EQ(r.warning_count, 2u);
  EXPECT_EQ(r.warnings[0].kind, ConfigWarningKind::BadValue);
  EXPECT_EQ(r.warnings[1].kind, ConfigWarningKind::BadValue);
  EXPECT_STREQ(r.config.initrd, kDefaultInitrdPath);
}

TEST(ConfigTest, VideoValues) {
  EXPECT_EQ(parse("video = 800X600\n").config.video.height, 600u);
  EXPECT_EQ(parse("video = 800 x 600\n").config.video.width, 800u);
  for (const char* bad :
       {"video = 12x\n", "video = x600\n", "video = 0x600\n", "video = 800x600x2\n",
        "video = big\n", "video =\n", "video = 99999x600\n", "video = -800x600\n"}) {
    const ConfigParseResult r = parse(bad);
    ASSERT_EQ(r.warning_count, 1u) << bad;
    EXPECT_EQ(r.warnings[0].kind, ConfigWarningKind::BadValue) << bad;
    EXPECT_EQ(r.config.video.request, VideoRequest::Default) << bad;
  }
}

TEST(ConfigTest, BadCharactersRejected) {
  const ConfigParseResult r =
      parse(std::string("cmdline = a\x01"
                        "b\ncmdline = caf\xC3\xA9\n"));
  ASSERT_EQ(r.warning_count, 2u);
  EXPECT_EQ(r.warnings[0].kind, ConfigWarningKind::BadCharacter);
  EXPECT_EQ(r.warnings[1].kind, ConfigWarningKind::BadCharacter);
  EXPECT_STREQ(r.config.cmdline, "");
}

TEST(ConfigTest, EmbeddedNulIsABadCharacter) {
  const ConfigParseResult r = parse(std::string("cmdline = a\0b\n", 14));
  ASSERT_EQ(r.warning_count, 1u);
  EXPECT_EQ(r.warnings[0].kind, ConfigWarningKind::BadCharacter);
}

TEST(ConfigTest, DuplicateKeyLaterWinsAndWarns) {
  const ConfigParseResult r = parse("cmdline = one\ncmdline = two\n");
  ASSERT_EQ(r.warning_count, 1u);
  EXPECT_EQ(r.warnings[0].kind, ConfigWarningKind::DuplicateKey);
  EXPECT_EQ(r.warnings[0].line, 2u);
  EXPECT_STREQ(r.config.cmdline, "two");
}

TEST(ConfigTest, InvalidLaterLineKeepsEarlierValue) {
  const ConfigParseResult r = parse("video = 640x480\nvideo = nonsense\n");
  ASSERT_EQ(r.warning_count, 1u);
  EXPECT_EQ(r.config.video.width, 640u);
}

TEST(ConfigTest, WarningOverflowIsCounted) {
  std::string text;
  for (int i = 0; i < 20; ++i) text += "bogus\n";
  const ConfigParseResult r = parse(text);
  EXPECT_EQ(r.warning_count, kConfigMaxWarnings);
  EXPECT_EQ(r.warnings_dropped, 20 - kConfigMaxWarnings);
}

TEST(ConfigTest, LongKeyIsCutInTheWarning) {
  const ConfigParseResult r = parse("averyveryverylongkeyname = 1\n");
  ASSERT_EQ(r.warning_count, 1u);
  EXPECT_STREQ(r.warnings[0].key, "averyveryverylo");
}

TEST(ConfigTest, LastLineWithoutNewline) {
  const ConfigParseResult r = parse("cmdline = end");
  EXPECT_STREQ(r.config.cmdline, "end");
}

TEST(ConfigTest, WarningStringsAreDistinct) {
  EXPECT_STRNE(config_warning_string(ConfigWarningKind::UnknownKey),
               config_warning_string(ConfigWarningKind::Malformed));
}

}  // namespace
}  // namespace muboot
