// Tests for CpioReader: archives are written in memory by a tiny newc writer, then damaged.
#include "mu/cpio.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

namespace mu {
// Readable gtest failure messages.
void PrintTo(CpioError error, std::ostream* os) { *os << cpio_error_string(error); }
}  // namespace mu

namespace {

using mu::CpioEntry;
using mu::CpioError;
using mu::CpioReader;

// Field offsets in a newc header: magic(6), then 8 hex digits per field.
constexpr size_t kOffMode = 6 + 8 * 1;
constexpr size_t kOffFilesize = 6 + 8 * 6;
constexpr size_t kOffNamesize = 6 + 8 * 11;
constexpr size_t kHeaderSize = 110;

// Writes newc archives the way GNU cpio -H newc does.
class CpioWriter {
 public:
  void add(const std::string& name, uint32_t mode, const std::string& data, uint32_t uid = 0,
           uint32_t gid = 0, uint32_t mtime = 0) {
    char header[kHeaderSize + 1];
    std::snprintf(header, sizeof(header), "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
                  magic_.c_str(), ino_++, mode, uid, gid, 1u, mtime,
                  static_cast<unsigned>(data.size()), 0u, 0u, 0u, 0u,
                  static_cast<unsigned>(name.size() + 1), 0u);
    bytes_.insert(bytes_.end(), header, header + kHeaderSize);
    bytes_.insert(bytes_.end(), name.begin(), name.end());
    bytes_.push_back(0);
    pad4();
    bytes_.insert(bytes_.end(), data.begin(), data.end());
    pad4();
  }
  void trailer() { add("TRAILER!!!", 0, ""); }
  void set_magic(const std::string& magic) { magic_ = magic; }
  std::vector<uint8_t>& bytes() { return bytes_; }

 private:
  void pad4() {
    while (bytes_.size() % 4 != 0) bytes_.push_back(0);
  }
  std::vector<uint8_t> bytes_;
  std::string magic_ = "070701";
  uint32_t ino_ = 1;
};

void put_hex(std::vector<uint8_t>& bytes, size_t offset, uint32_t value) {
  char text[9];
  std::snprintf(text, sizeof(text), "%08X", value);
  for (size_t i = 0; i < 8; ++i) bytes.at(offset + i) = static_cast<uint8_t>(text[i]);
}

std::vector<uint8_t> sample_archive() {
  CpioWriter w;
  w.add("init", 0100755, "#!hello\n\x01", 0, 0, 1700000000);  // 9 bytes: data needs padding
  w.add("etc", 0040755, "");
  w.add("etc/motd", 0100644, "welcome to muOS!", 1000, 100);  // 16 bytes: no padding
  w.add("empty", 0100600, "");
  w.trailer();
  return w.bytes();
}

// Reads entries until something other than None; returns that and the entries seen.
CpioError read_all(const std::vector<uint8_t>& archive, std::vector<CpioEntry>* entries) {
  CpioReader reader(archive.data(), archive.size());
  for (int guard = 0; guard < 1000; ++guard) {
    CpioEntry entry{};
    const CpioError error = reader.next(&entry);
    if (error != CpioError::None) return error;
    if (entries != nullptr) entries->push_back(entry);
  }
  ADD_FAILURE() << "reader never stopped";
  return CpioError::None;
}

std::string data_of(const CpioEntry& e) {
  return std::string(reinterpret_cast<const char*>(e.data), static_cast<size_t>(e.size));
}

TEST(Cpio, ReadsEveryEntryOfAValidArchive) {
  const auto archive = sample_archive();
  std::vector<CpioEntry> entries;
  ASSERT_EQ(read_all(archive, &entries), CpioError::End);
  ASSERT_EQ(entries.size(), 4u);

  EXPECT_STREQ(entries[0].name, "init");
  EXPECT_EQ(entries[0].name_length, 4u);
  EXPECT_EQ(entries[0].mode, 0100755u);
  EXPECT_EQ(entries[0].mode & mu::kCpioModeTypeMask, mu::kCpioModeRegular);
  EXPECT_EQ(entries[0].mtime, 1700000000u);
  EXPECT_EQ(entries[0].ino, 1u);
  EXPECT_EQ(entries[0].nlink, 1u);
  EXPECT_EQ(data_of(entries[0]), std::string("#!hello\n\x01"));

  EXPECT_STREQ(entries[1].name, "etc");
  EXPECT_EQ(entries[1].mode & mu::kCpioModeTypeMask, mu::kCpioModeDirectory);
  EXPECT_EQ(entries[1].size, 0u);

  EXPECT_STREQ(entries[2].name, "etc/motd");
  EXPECT_EQ(entries[2].uid, 1000u);
  EXPECT_EQ(entries[2].gid, 100u);
  EXPECT_EQ(data_of(entries[2]), "welcome to muOS!");

  EXPECT_STREQ(entries[3].name, "empty");
  EXPECT_EQ(entries[3].size, 0u);

  // newc pads header+name to 4 bytes, so file data starts 4-aligned within the archive.
  for (const auto& e : entries) {
    EXPECT_EQ((e.data - archive.data()) % 4, 0) << e.name;
    EXPECT_EQ(e.name[e.name_length], '\0');
  }
}

TEST(Cpio, EndIsStickyAndOffsetAdvancesPerEntry) {
  const auto archive = sample_archive();
  CpioReader reader(archive.data(), archive.size());
  CpioEntry entry{};
  EXPECT_EQ(reader.offset(), 0u);
  ASSERT_EQ(reader.next(&entry), CpioError::None);
  // "init": 110 + 5 = 115 -> 116, then 9 data bytes -> 125 -> 128.
  EXPECT_EQ(reader.offset(), 128u);
  while (reader.next(&entry) == CpioError::None) {
  }
  EXPECT_EQ(reader.next(&entry), CpioError::End);
  EXPECT_EQ(reader.next(&entry), CpioError::End);
}

TEST(Cpio, AcceptsCrcFormatMagic) {
  CpioWriter w;
  w.set_magic("070702");
  w.add("a", 0100644, "x");
  w.trailer();
  std::vector<CpioEntry> entries;
  EXPECT_EQ(read_all(w.bytes(), &entries), CpioError::End);
  EXPECT_EQ(entries.size(), 1u);
}

TEST(Cpio, AcceptsLowercaseHex) {
  CpioWriter w;
  w.add("a", 0100644, "x");
  w.trailer();
  auto archive = w.bytes();
  const char mode[] = "000081a4";  // 0100644
  for (size_t i = 0; i < 8; ++i) archive[kOffMode + i] = static_cast<uint8_t>(mode[i]);
  std::vector<CpioEntry> entries;
  ASSERT_EQ(read_all(archive, &entries), CpioError::End);
  EXPECT_EQ(entries[0].mode, 0100644u);
}

TEST(Cpio, EmptyArchiveWithOnlyTrailerEndsImmediately) {
  CpioWriter w;
  w.trailer();
  std::vector<CpioEntry> entries;
  EXPECT_EQ(read_all(w.bytes(), &entries), CpioError::End);
  EXPECT_TRUE(entries.empty());
}

TEST(Cpio, IgnoresBlockPaddingAfterTrailer) {
  auto archive = sample_archive();
  archive.resize(1024, 0);  // GNU cpio pads the archive to 512-byte blocks
  EXPECT_EQ(read_all(archive, nullptr), CpioError::End);
}

TEST(Cpio, EveryTruncationIsAnErrorWithoutReadingPastTheBuffer) {
  const auto archive = sample_archive();
  for (size_t n = 0; n < archive.size(); ++n) {
    // An exactly sized heap copy so ASan flags any read past n.
    const std::vector<uint8_t> prefix(archive.begin(), archive.begin() + static_cast<long>(n));
    const CpioError error = read_all(prefix, nullptr);
    EXPECT_TRUE(error == CpioError::Truncated || error == CpioError::MissingTrailer ||
                error == CpioError::SizeOutOfRange || error == CpioError::BadNameSize)
        << "length " << n << " gave " << mu::cpio_error_string(error);
  }
}

TEST(Cpio, EmptyBufferIsMissingTrailer) {
  CpioReader reader(nullptr, 0);
  CpioEntry entry{};
  EXPECT_EQ(reader.next(&entry), CpioError::MissingTrailer);
}

TEST(Cpio, ArchiveWithoutTrailerIsMissingTrailer) {
  CpioWriter w;
  w.add("a", 0100644, "abc");
  std::vector<CpioEntry> entries;
  EXPECT_EQ(read_all(w.bytes(), &entries), CpioError::MissingTrailer);
  EXPECT_EQ(entries.size(), 1u);
}

TEST(Cpio, RejectsBadMagic) {
  for (const char* magic : {"070707", "070703", "170701", "07070 "}) {
    CpioWriter w;
    w.set_magic(magic);
    w.add("a", 0100644, "x");
    w.trailer();
    EXPECT_EQ(read_all(w.bytes(), nullptr), CpioError::BadMagic) << magic;
  }
}

TEST(Cpio, RejectsNonHexField) {
  for (uint8_t bad : {'g', ' ', '-', 'x', '\0'}) {
    auto archive = sample_archive();
    archive[kOffMode + 3] = bad;
    EXPECT_EQ(read_all(archive, nullptr), CpioError::BadHexField) << static_cast<int>(bad);
  }
}

TEST(Cpio, RejectsZeroNameSize) {
  auto archive = sample_archive();
  put_hex(archive, kOffNamesize, 0);
  EXPECT_EQ(read_all(archive, nullptr), CpioError::BadNameSize);
}

TEST(Cpio, RejectsNameSizeLargerThanArchive) {
  auto archive = sample_archive();
  put_hex(archive, kOffNamesize, 0xFFFFFFFF);
  EXPECT_EQ(read_all(archive, nullptr), CpioError::BadNameSize);
}

TEST(Cpio, RejectsFileSizeLargerThanArchive) {
  auto archive = sample_archive();
  put_hex(archive, kOffFilesize, 0xFFFFFFFF);
  EXPECT_EQ(read_all(archive, nullptr), CpioError::SizeOutOfRange);
}

TEST(Cpio, RejectsFileDataRunningPastEnd) {
  CpioWriter w;
  w.add("a", 0100644, "0123456789abcdef0123456789abcdef");
  auto archive = w.bytes();
  // erase, not resize: shrinking with resize trips a GCC 12 -Wstringop-overflow false positive.
  archive.erase(archive.end() - 8, archive.end());
  EXPECT_EQ(read_all(archive, nullptr), CpioError::Truncated);
}

TEST(Cpio, RejectsNameWithoutNul) {
  auto archive = sample_archive();
  archive[kHeaderSize + 4] = 'x';  // the NUL after "init"
  EXPECT_EQ(read_all(archive, nullptr), CpioError::NameNotTerminated);
}

TEST(Cpio, RejectsNameWithEmbeddedNul) {
  auto archive = sample_archive();
  archive[kHeaderSize + 1] = '\0';  // "i\0it": the length would lie
  EXPECT_EQ(read_all(archive, nullptr), CpioError::NameNotTerminated);
}

TEST(Cpio, ErrorsAreStickyAndDoNotAdvance) {
  auto archive = sample_archive();
  // Corrupt the second header's magic.
  archive[128] = 'X';
  CpioReader reader(archive.data(), archive.size());
  CpioEntry entry{};
  ASSERT_EQ(reader.next(&entry), CpioError::None);
  EXPECT_EQ(reader.next(&entry), CpioError::BadMagic);
  EXPECT_EQ(reader.offset(), 128u);
  archive[128] = '0';  // even a repaired buffer does not clear the error
  EXPECT_EQ(reader.next(&entry), CpioError::BadMagic);
  EXPECT_EQ(reader.offset(), 128u);
}

TEST(Cpio, ErrorStringsAreDistinct) {
  std::set<std::string> seen;
  for (uint32_t e = 0; e <= static_cast<uint32_t>(CpioError::MissingTrailer); ++e) {
    seen.insert(mu::cpio_error_string(static_cast<CpioError>(e)));
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(CpioError::MissingTrailer) + 1);
}

}  // namespace
