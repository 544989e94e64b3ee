// Unit tests for the mu-initrd tool's logic: manifest parsing, paths, the cpio writer, extraction.
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <mu/cpio.h>

#include "archive_path.h"
#include "archive_reader.h"
#include "commands.h"
#include "cpio_writer.h"
#include "manifest.h"

namespace mu::initrd {
namespace {

namespace fs = std::filesystem;

std::span<const uint8_t> bytes_of(const std::string& text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

// A fresh directory under the system temp dir, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "mu-initrd-test.XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

Result<std::vector<ManifestEntry>> parse(const std::string& text, const Variables& vars = {}) {
  return parse_manifest(text, "m.txt", "/src/initrd", vars);
}

std::string parse_error(const std::string& text, const Variables& vars = {}) {
  auto result = parse(text, vars);
  return result.ok() ? std::string("(parsed)") : result.error().message;
}

TEST(Manifest, ParsesDirectoriesFilesCommentsAndVariables) {
  auto result = parse(
      "# comment\n"
      "\n"
      "dir /sbin 0755\r\n"
      "  file\tsbin/init   ${BUILD}/servers/init/init 0755  \n"
      "   # indented comment\n"
      "file README README.md 644\n",
      {{"BUILD", "/b"}});
  ASSERT_TRUE(result.ok()) << result.error().message;
  const auto& entries = result.value();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].kind, EntryKind::Directory);
  EXPECT_EQ(entries[0].archive_path, "sbin");
  EXPECT_EQ(entries[0].permissions, 0755u);
  EXPECT_EQ(entries[0].line, 3);
  EXPECT_EQ(entries[1].kind, EntryKind::File);
  EXPECT_EQ(entries[1].archive_path, "sbin/init");
  EXPECT_EQ(entries[1].source_path, "/b/servers/init/init");
  EXPECT_EQ(entries[1].line, 4);
  EXPECT_EQ(entries[2].source_path, "/src/initrd/README.md");  // relative to the manifest
  EXPECT_EQ(entries[2].permissions, 0644u);
}

TEST(Manifest, ErrorsNameTheLineAndTheProblem) {
  EXPECT_EQ(parse_error("dir a 0755\n\nlink a/b c 0644\n"),
            "m.txt:3: unknown entry type 'link' (expected 'dir' or 'file')");
  EXPECT_EQ(parse_error("file a\n"), "m.txt:1: expected 'file <archive-path> <source> <mode>'");
  EXPECT_EQ(parse_error("dir a\n"), "m.txt:1: expected 'dir <archive-path> <mode>'");
  EXPECT_EQ(parse_error("file a ${NOPE}/x 0644\n"),
            "m.txt:1: undefined variable ${NOPE} (pass -D NOPE=VALUE)");
  EXPECT_EQ(parse_error("file a ${OPEN 0644\n"), "m.txt:1: unterminated '${' in '${OPEN'");
  EXPECT_EQ(parse_error("dir a 0855\n"),
            "m.txt:1: mode '0855' is not an octal permission (e.g. 0755)");
  EXPECT_EQ(parse_error("dir a 17777\n"), "m.txt:1: mode '17777' has bits beyond 07777");
  EXPECT_EQ(parse_error("dir a rwx\n"),
            "m.txt:1: mode 'rwx' is not an octal permission (e.g. 0755)");
  EXPECT_EQ(parse_error("dir a 0755\ndir a 0755\n"), "m.txt:2: 'a' appears twice");
  EXPECT_EQ(parse_error("file bin/sh sh 0755\n"),
            "m.txt:1: parent directory 'bin' of 'bin/sh' not declared (add 'dir bin 0755' before "
            "this line)");
  EXPECT_EQ(parse_error("file ../x y 0644\n"),
            "m.txt:1: '..' component in path '../x' refused (path traversal)");
  EXPECT_EQ(parse_error("dir / 0755\n"), "m.txt:1: archive path '/' names the archive root");
}

TEST(Manifest, SubstitutesSeveralVariables) {
  auto result = substitute_variables("${A}/mid/${B}${A}", {{"A", "x"}, {"B", "y"}});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value(), "x/mid/yx");
  auto plain = substitute_variables("$HOME/{x}", {});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain.value(), "$HOME/{x}");
}

TEST(ArchivePath, NormalizesAndRefuses) {
  auto normal = normalize_archive_path("./a//b/./c/", LeadingSlash::Refuse);
  ASSERT_TRUE(normal.ok());
  EXPECT_EQ(normal.value(), "a/b/c");
  auto root = normalize_archive_path(".", LeadingSlash::Refuse);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root.value(), "");
  auto stripped = normalize_archive_path("/etc/motd", LeadingSlash::Strip);
  ASSERT_TRUE(stripped.ok());
  EXPECT_EQ(stripped.value(), "etc/motd");

  EXPECT_FALSE(normalize_archive_path("/etc/motd", LeadingSlash::Refuse).ok());
  EXPECT_FALSE(normalize_archive_path("a/../../b", LeadingSlash::Strip).ok());
  EXPECT_FALSE(normalize_archive_path("..", LeadingSlash::Strip).ok());
  EXPECT_FALSE(normalize_archive_path("", LeadingSlash::Strip).ok());
  EXPECT_FALSE(normalize_archive_path("a\nb", LeadingSlash::Strip).ok());
  EXPECT_TRUE(normalize_archive_path("a..b/..c", LeadingSlash::Refuse).ok());  // not '..' itself
}

TEST(ArchivePath, PrintableEscapesControlBytes) {
  EXPECT_EQ(printable_path("ok/name"), "ok/name");
  EXPECT_EQ(printable_path(std::string("a\x1b[2Jb\n", 7)), "a\\x1b[2Jb\\x0a");
}

TEST(CpioWriter, WritesReproducibleNewcHeaders) {
  CpioWriter writer;
  ASSERT_TRUE(writer.add_directory("sbin", 0755).ok());
  ASSERT_TRUE(writer.add_file("sbin/init", 0755, bytes_of("hello")).ok());
  std::vector<uint8_t> archive = writer.finish();
  std::string text(archive.begin(), archive.end());
  // ino=1 mode=040755 uid=0 gid=0 nlink=2 mtime=0 size=0 dev 0/0 rdev 0/0 namesize=5 check=0
  EXPECT_EQ(text.substr(0, 110),
            "07070100000001000041ED000000000000000000000002000000000000000000000000000000000000"
            "0000000000000000000500000000");
  EXPECT_EQ(text.substr(110, 5), std::string("sbin\0", 5));
  EXPECT_EQ(archive.size() % 4, 0u);
  EXPECT_NE(text.find("TRAILER!!!"), std::string::npos);

  CpioWriter again;
  ASSERT_TRUE(again.add_directory("sbin", 0755).ok());
  ASSERT_TRUE(again.add_file("sbin/init", 0755, bytes_of("hello")).ok());
  EXPECT_EQ(again.finish(), archive);
}

TEST(CpioWriter, RoundTripsThroughTheSharedReader) {
  CpioWriter writer;
  std::string odd(1001, 'x');  // sizes that need padding
  ASSERT_TRUE(writer.add_directory("d", 0700).ok());
  ASSERT_TRUE(writer.add_file("d/a", 0640, bytes_of(odd)).ok());
  ASSERT_TRUE(writer.add_file("b23", 04755, bytes_of("")).ok());
  std::vector<uint8_t> archive = writer.finish();

  auto entries = read_entries("t.cpio", archive);
  ASSERT_TRUE(entries.ok()) << entries.error().message;
  ASSERT_EQ(entries.value().size(), 3u);
  const CpioEntry& dir = entries.value()[0];
  EXPECT_EQ(std::string(dir.name, dir.name_length), "d");
  EXPECT_EQ(dir.mode, kCpioModeDirectory | 0700u);
  EXPECT_EQ(dir.ino, 1u);
  const CpioEntry& file = entries.value()[1];
  EXPECT_EQ(std::string(file.name, file.name_length), "d/a");
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(file.data), file.size), odd);
  EXPECT_EQ(file.mode, kCpioModeRegular | 0640u);
  EXPECT_EQ(file.mtime, 0u);
  EXPECT_EQ(file.uid, 0u);
  EXPECT_EQ(file.ino, 2u);
  EXPECT_EQ(entries.value()[2].mode, kCpioModeRegular | 04755u);
  EXPECT_EQ(entries.value()[2].size, 0u);
}

TEST(ReadEntries, CorruptArchivesGiveTheOffset) {
  CpioWriter writer;
  ASSERT_TRUE(writer.add_file("a", 0644, bytes_of("12345678")).ok());
  ASSERT_TRUE(writer.add_file("b", 0644, bytes_of("x")).ok());
  std::vector<uint8_t> archive = writer.finish();

  std::vector<uint8_t> bad_magic = archive;
  bad_magic[0] = 'X';
  auto result = read_entries("bad.cpio", bad_magic);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message.rfind("bad.cpio: corrupt archive: ", 0), 0u)
      << result.error().message;
  EXPECT_NE(result.error().message.find(" at offset 0"), std::string::npos)
      << result.error().message;

  // Second header starts at 110 + 2 ("a\0") = 112, data 8 bytes -> 120.
  std::vector<uint8_t> bad_hex = archive;
  bad_hex[120 + 6 + 8] = 'G';  // mode field of entry "b"
  result = read_entries("hex.cpio", bad_hex);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find(" at offset 120"), std::string::npos)
      << result.error().message;

  for (size_t cut : {size_t{1}, size_t{109}, size_t{115}, archive.size() - 1}) {
    std::vector<uint8_t> truncated(archive.begin(), archive.begin() + static_cast<long>(cut));
    result = read_entries("cut.cpio", truncated);
    EXPECT_FALSE(result.ok()) << "cut at " << cut;
  }
}

TEST(ModeString, FormatsLikeLs) {
  EXPECT_EQ(mode_string(0100755), "-rwxr-xr-x");
  EXPECT_EQ(mode_string(0040700), "drwx------");
  EXPECT_EQ(mode_string(0120777), "lrwxrwxrwx");
  EXPECT_EQ(mode_string(0104755), "-rwsr-xr-x");
  EXPECT_EQ(mode_string(0041777), "drwxrwxrwt");
  EXPECT_EQ(mode_string(0102644), "-rw-r-Sr--");
}

TEST(List, PrintsModeSizeAndPath) {
  CpioWriter writer;
  ASSERT_TRUE(writer.add_directory("etc", 0755).ok());
  ASSERT_TRUE(writer.add_file("etc/motd", 0644, bytes_of("hi\n")).ok());
  std::vector<uint8_t> archive = writer.finish();
  std::ostringstream out;
  ASSERT_TRUE(list_archive("x.cpio", archive, out).ok());
  EXPECT_EQ(out.str(),
            "drwxr-xr-x          0 etc\n"
            "-rw-r--r--          3 etc/motd\n");
}

TEST(List, SurvivesAGarbageElf) {
  std::string fake_elf(
      "\x7f"
      "ELF\x02\x01\x01",
      7);
  fake_elf += std::string(100, '\xff');
  CpioWriter writer;
  ASSERT_TRUE(writer.add_file("bad", 0755, bytes_of(fake_elf)).ok());
  std::vector<uint8_t> archive = writer.finish();
  std::ostringstream out;
  ASSERT_TRUE(list_archive("x.cpio", archive, out).ok());
  EXPECT_NE(out.str().find("bad\n"), std::string::npos);
  EXPECT_NE(out.str().find("muOS user program: rejected"), std::string::npos) << out.str();
}

Status extract(const std::vector<uint8_t>& archive, const fs::path& dir) {
  std::ostringstream warnings;
  return extract_archive("t.cpio", archive, dir.string(), warnings);
}

TEST(Extract, RoundTripsFilesAndModes) {
  TempDir temp;
  CpioWriter writer;
  ASSERT_TRUE(writer.add_directory("sbin", 0755).ok());
  ASSERT_TRUE(writer.add_file("sbin/init", 04755, bytes_of("binary")).ok());
  ASSERT_TRUE(writer.add_file("notes", 0600, bytes_of("n")).ok());
  Status status = extract(writer.finish(), temp.path() / "out");
  ASSERT_TRUE(status.ok()) << status.error().message;
  std::ifstream in(temp.path() / "out/sbin/init");
  std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(contents, "binary");
  struct stat info {};
  ASSERT_EQ(::stat((temp.path() / "out/sbin/init").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0755u);  // set-id bits dropped
  ASSERT_EQ(::stat((temp.path() / "out/notes").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST(Extract, RefusesTraversalBeforeWritingAnything) {
  for (const char* evil : {"../evil", "a/../../evil", "/tmp/evil-abs", "./../evil"}) {
    TempDir temp;
    CpioWriter writer;
    ASSERT_TRUE(writer.add_file("harmless", 0644, bytes_of("x")).ok());
    ASSERT_TRUE(writer.add_file(evil, 0644, bytes_of("gotcha")).ok());
    Status status = extract(writer.finish(), temp.path() / "out");
    ASSERT_FALSE(status.ok()) << evil;
    EXPECT_NE(status.error().message.find("t.cpio: unsafe entry: "), std::string::npos)
        << status.error().message;
    EXPECT_FALSE(fs::exists(temp.path() / "out/harmless")) << "wrote before validating: " << evil;
    EXPECT_FALSE(fs::exists(temp.path() / "evil"));
  }
}

TEST(Extract, DoesNotFollowSymlinksInTheDestination) {
  TempDir temp;
  fs::create_directories(temp.path() / "out");
  fs::create_directories(temp.path() / "elsewhere");
  fs::create_directory_symlink(temp.path() / "elsewhere", temp.path() / "out/link");
  CpioWriter writer;
  ASSERT_TRUE(writer.add_file("link/file", 0644, bytes_of("x")).ok());
  Status status = extract(writer.finish(), temp.path() / "out");
  EXPECT_FALSE(status.ok());
  EXPECT_FALSE(fs::exists(temp.path() / "elsewhere/file"));
}

}  // namespace
}  // namespace mu::initrd
