// Tests for validate_elf: images are built in memory, then corrupted one field at a time.
#include "mu/elf.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace mu {
// Readable gtest failure messages.
void PrintTo(ElfError error, std::ostream* os) { *os << elf_error_string(error); }
}  // namespace mu

namespace {

using mu::ElfError;
using mu::ElfImage;
using mu::ElfTarget;

constexpr uint32_t kPtLoad = 1;
constexpr uint32_t kPtDynamic = 2;
constexpr uint32_t kPtInterp = 3;
constexpr uint32_t kPtNote = 4;
constexpr uint32_t kPtPhdr = 6;
constexpr uint32_t kPtTls = 7;
constexpr uint32_t kPtGnuStack = 0x6474e551;
constexpr uint32_t kPtGnuRelro = 0x6474e552;
constexpr uint32_t R = mu::kElfSegmentRead, W = mu::kElfSegmentWrite, X = mu::kElfSegmentExec;

// Header field offsets (ELF-64 Object File Format 1.5).
constexpr size_t kOffType = 16, kOffMachine = 18, kOffVersion = 20, kOffEntry = 24, kOffPhoff = 32,
                 kOffEhsize = 52, kOffPhentsize = 54, kOffPhnum = 56;
constexpr size_t kPhdrBase = 64, kPhdrSize = 56;
// Program header field offsets.
constexpr size_t kPhType = 0, kPhFlags = 4, kPhOffset = 8, kPhVaddr = 16, kPhFilesz = 32,
                 kPhMemsz = 40;

struct Seg {
  uint32_t type;
  uint32_t flags;
  uint64_t offset;
  uint64_t vaddr;
  uint64_t filesz;
  uint64_t memsz;
};

template <typename T>
void put(std::vector<uint8_t>& image, size_t offset, T value) {
  ASSERT_LE(offset + sizeof(T), image.size());
  std::memcpy(image.data() + offset, &value, sizeof(T));
}

// A well-formed ELF64 x86-64 ET_EXEC with the program headers right after the ELF header.
std::vector<uint8_t> build_elf(uint64_t entry, const std::vector<Seg>& segs, size_t file_size) {
  std::vector<uint8_t> image(file_size, 0);
  const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
  std::memcpy(image.data(), ident, sizeof(ident));
  put<uint16_t>(image, kOffType, 2);
  put<uint16_t>(image, kOffMachine, 62);
  put<uint32_t>(image, kOffVersion, 1);
  put<uint64_t>(image, kOffEntry, entry);
  put<uint64_t>(image, kOffPhoff, kPhdrBase);
  put<uint16_t>(image, kOffEhsize, 64);
  put<uint16_t>(image, kOffPhentsize, kPhdrSize);
  put<uint16_t>(image, kOffPhnum, static_cast<uint16_t>(segs.size()));
  for (size_t i = 0; i < segs.size(); ++i) {
    const size_t p = kPhdrBase + i * kPhdrSize;
    put<uint32_t>(image, p + kPhType, segs[i].type);
    put<uint32_t>(image, p + kPhFlags, segs[i].flags);
    put<uint64_t>(image, p + kPhOffset, segs[i].offset);
    put<uint64_t>(image, p + kPhVaddr, segs[i].vaddr);
    put<uint64_t>(image, p + 24, segs[i].vaddr);  // p_paddr
    put<uint64_t>(image, p + kPhFilesz, segs[i].filesz);
    put<uint64_t>(image, p + kPhMemsz, segs[i].memsz);
    put<uint64_t>(image, p + 48, 0x1000);  // p_align
  }
  return image;
}

constexpr uint64_t kKernelBase = 0xFFFFFFFF80000000ULL;

// Text (R+X, 1.5 pages), data+bss (RW), and a GNU_STACK marker: what a kernel link produces.
std::vector<uint8_t> kernel_image() {
  return build_elf(kKernelBase + 0x10,
                   {{kPtLoad, R | X, 0x1000, kKernelBase, 0x1800, 0x1800},
                    {kPtLoad, R | W, 0x3000, kKernelBase + 0x2000, 0x100, 0x3000},
                    {kPtGnuStack, R | W, 0, 0, 0, 0}},
                   0x4000);
}

// Laid out like `gcc -static` output: an unaligned RW segment, TLS, RELRO and notes.
std::vector<uint8_t> user_image() {
  return build_elf(0x401010,
                   {{kPtLoad, R, 0, 0x400000, 0x518, 0x518},
                    {kPtLoad, R | X, 0x1000, 0x401000, 0x1b01, 0x1b01},
                    {kPtLoad, R | W, 0x36d8, 0x4036d8, 0x800, 0x2000},
                    {kPtNote, R, 0x270, 0x400270, 0x20, 0x20},
                    {kPtTls, R, 0x36d8, 0x4036d8, 0x18, 0x60},
                    {kPtGnuStack, R | W, 0, 0, 0, 0},
                    {kPtGnuRelro, R, 0x36d8, 0x4036d8, 0x400, 0x400}},
                   0x4000);
}

ElfError check(const std::vector<uint8_t>& image, ElfTarget target = ElfTarget::Kernel) {
  ElfImage out{};
  return mu::validate_elf(image.data(), image.size(), target, &out);
}

size_t ph(size_t index, size_t field) { return kPhdrBase + index * kPhdrSize + field; }

TEST(Elf, AcceptsKernelImageAndDescribesSegments) {
  const auto image = kernel_image();
  ElfImage out{};
  ASSERT_EQ(mu::validate_elf(image.data(), image.size(), ElfTarget::Kernel, &out), ElfError::None);
  EXPECT_EQ(out.entry, kKernelBase + 0x10);
  EXPECT_EQ(out.lowest_vaddr, kKernelBase);
  EXPECT_EQ(out.highest_end, kKernelBase + 0x5000);
  ASSERT_EQ(out.segment_count, 2u);
  EXPECT_EQ(out.segments[0].vaddr, kKernelBase);
  EXPECT_EQ(out.segments[0].offset, 0x1000u);
  EXPECT_EQ(out.segments[0].filesz, 0x1800u);
  EXPECT_EQ(out.segments[0].memsz, 0x1800u);
  EXPECT_EQ(out.segments[0].flags, R | X);
  EXPECT_EQ(out.segments[1].vaddr, kKernelBase + 0x2000);
  EXPECT_EQ(out.segments[1].filesz, 0x100u);
  EXPECT_EQ(out.segments[1].memsz, 0x3000u);
  EXPECT_EQ(out.segments[1].flags, R | W);
}

TEST(Elf, AcceptsStaticUserImageWithUnalignedDataTlsAndRelro) {
  const auto image = user_image();
  ElfImage out{};
  ASSERT_EQ(mu::validate_elf(image.data(), image.size(), ElfTarget::User, &out), ElfError::None);
  EXPECT_EQ(out.segment_count, 3u);
  EXPECT_EQ(out.lowest_vaddr, 0x400000u);
  EXPECT_EQ(out.highest_end, 0x406000u);  // 0x4036d8 + 0x2000 rounded up
  EXPECT_EQ(out.segments[2].vaddr, 0x4036d8u);
}

TEST(Elf, LeavesOutputUntouchedOnError) {
  auto image = kernel_image();
  image[0] = 0;
  ElfImage out;
  std::memset(&out, 0xA5, sizeof(out));
  ElfImage before;
  std::memcpy(&before, &out, sizeof(out));
  EXPECT_EQ(mu::validate_elf(image.data(), image.size(), ElfTarget::Kernel, &out),
            ElfError::BadMagic);
  EXPECT_EQ(std::memcmp(&before, &out, sizeof(out)), 0);
}

TEST(Elf, RejectsEveryTruncationWithoutReadingPastTheBuffer) {
  const auto image = kernel_image();
  const size_t data_end = 0x3100;  // the last byte any header points at; the rest is padding
  for (size_t n = 0; n < data_end; ++n) {
    // An exactly sized heap copy so ASan flags any read past n.
    const std::vector<uint8_t> prefix(image.begin(), image.begin() + static_cast<long>(n));
    EXPECT_NE(check(prefix), ElfError::None) << "prefix length " << n;
  }
  const std::vector<uint8_t> exact(image.begin(), image.begin() + data_end);
  EXPECT_EQ(check(exact), ElfError::None);
  EXPECT_EQ(mu::validate_elf(nullptr, 0, ElfTarget::Kernel, nullptr), ElfError::TooSmall);
}

TEST(Elf, RejectsHeaderShorterThanElf64Header) {
  const auto image = kernel_image();
  EXPECT_EQ(mu::validate_elf(image.data(), 63, ElfTarget::Kernel, nullptr), ElfError::TooSmall);
}

TEST(Elf, RejectsBadMagic) {
  auto image = kernel_image();
  image[1] = 'X';
  EXPECT_EQ(check(image), ElfError::BadMagic);
}

TEST(Elf, Rejects32BitClass) {
  auto image = kernel_image();
  image[4] = 1;
  EXPECT_EQ(check(image), ElfError::NotElf64);
}

TEST(Elf, RejectsBigEndian) {
  auto image = kernel_image();
  image[5] = 2;
  EXPECT_EQ(check(image), ElfError::NotLittleEndian);
}

TEST(Elf, RejectsWrongVersionInIdentOrHeader) {
  auto image = kernel_image();
  image[6] = 0;
  EXPECT_EQ(check(image), ElfError::BadVersion);
  image = kernel_image();
  put<uint32_t>(image, kOffVersion, 2);
  EXPECT_EQ(check(image), ElfError::BadVersion);
}

TEST(Elf, RejectsWrongMachine) {
  auto image = kernel_image();
  put<uint16_t>(image, kOffMachine, 3);  // EM_386
  EXPECT_EQ(check(image), ElfError::NotX86_64);
}

TEST(Elf, RejectsSharedObject) {
  auto image = kernel_image();
  put<uint16_t>(image, kOffType, 3);  // ET_DYN (PIE)
  EXPECT_EQ(check(image), ElfError::NotExecutable);
}

TEST(Elf, RejectsWrongHeaderOrPhdrEntrySize) {
  auto image = kernel_image();
  put<uint16_t>(image, kOffPhentsize, 32);
  EXPECT_EQ(check(image), ElfError::BadHeaderSize);
  image = kernel_image();
  put<uint16_t>(image, kOffEhsize, 52);
  EXPECT_EQ(check(image), ElfError::BadHeaderSize);
}

TEST(Elf, RejectsZeroProgramHeaders) {
  auto image = kernel_image();
  put<uint16_t>(image, kOffPhnum, 0);
  EXPECT_EQ(check(image), ElfError::NoSegments);
}

TEST(Elf, RejectsImageWithoutPtLoad) {
  const auto image = build_elf(kKernelBase, {{kPtGnuStack, R | W, 0, 0, 0, 0}}, 0x1000);
  EXPECT_EQ(check(image), ElfError::NoSegments);
}

TEST(Elf, RejectsMoreThanMaxSegments) {
  auto image = kernel_image();
  put<uint16_t>(image, kOffPhnum, static_cast<uint16_t>(mu::kMaxElfSegments + 1));
  EXPECT_EQ(check(image), ElfError::TooManySegments);
  put<uint16_t>(image, kOffPhnum, 0xffff);  // PN_XNUM
  EXPECT_EQ(check(image), ElfError::TooManySegments);
}

TEST(Elf, RejectsPhdrTablePastEndOfFile) {
  auto image = kernel_image();
  put<uint64_t>(image, kOffPhoff, image.size() - kPhdrSize);  // 3 phdrs do not fit
  EXPECT_EQ(check(image), ElfError::PhdrsOutOfFile);
}

TEST(Elf, RejectsPhdrOffsetPlusSizeOverflow) {
  auto image = kernel_image();
  put<uint64_t>(image, kOffPhoff, ~0ULL - 16);
  EXPECT_EQ(check(image), ElfError::PhdrsOutOfFile);
}

TEST(Elf, RejectsDynamicLinkingSegments) {
  for (uint32_t type : {kPtInterp, kPtDynamic, kPtPhdr, 0x60000000u}) {
    auto image = kernel_image();
    put<uint32_t>(image, ph(2, kPhType), type);
    EXPECT_EQ(check(image), ElfError::UnsupportedSegment) << type;
    auto user = user_image();
    put<uint32_t>(user, ph(5, kPhType), type);
    EXPECT_EQ(check(user, ElfTarget::User), ElfError::UnsupportedSegment) << type;
  }
}

TEST(Elf, RejectsTlsInKernelImage) {
  auto image = kernel_image();
  put<uint32_t>(image, ph(2, kPhType), kPtTls);
  EXPECT_EQ(check(image), ElfError::UnsupportedSegment);
}

TEST(Elf, RejectsFileszGreaterThanMemsz) {
  auto image = kernel_image();
  put<uint64_t>(image, ph(1, kPhFilesz), 0x3001);
  EXPECT_EQ(check(image), ElfError::FileszExceedsMemsz);
}

TEST(Elf, RejectsSegmentDataPastEndOfFile) {
  auto image = kernel_image();
  put<uint64_t>(image, ph(1, kPhFilesz), 0x1001);  // 0x3000 + 0x1001 > 0x4000
  EXPECT_EQ(check(image), ElfError::SegmentOutOfFile);
}

TEST(Elf, RejectsSegmentOffsetOverflow) {
  auto image = kernel_image();
  put<uint64_t>(image, ph(1, kPhOffset), 0xFFFFFFFFFFFFF000ULL);  // + 0x100 wraps past 2^64
  put<uint64_t>(image, ph(1, kPhFilesz), 0x2000);
  EXPECT_EQ(check(image), ElfError::SegmentOutOfFile);
}

TEST(Elf, RejectsVaddrPlusMemszOverflow) {
  auto image = kernel_image();
  put<uint64_t>(image, ph(1, kPhVaddr), 0xFFFFFFFFFFFFF000ULL);
  EXPECT_EQ(check(image), ElfError::AddressOverflow);
}

TEST(Elf, RejectsKernelSegmentInUserHalfOrNonCanonical) {
  auto image = kernel_image();
  put<uint64_t>(image, ph(1, kPhVaddr), 0x400000);
  EXPECT_EQ(check(image), ElfError::SegmentWrongHalf);
  put<uint64_t>(image, ph(1, kPhVaddr), 0x0000900000000000ULL);  // in the non-canonical hole
  EXPECT_EQ(check(image), ElfError::SegmentWrongHalf);
}

TEST(Elf, RejectsKernelSegmentNotPageAligned) {
  auto image = kernel_image();
  put<uint64_t>(image, ph(1, kPhVaddr), kKernelBase + 0x2010);
  put<uint64_t>(image, ph(1, kPhOffset), 0x3010);  // congruent, but the kernel needs alignment
  EXPECT_EQ(check(image), ElfError::SegmentMisaligned);
}

TEST(Elf, RejectsSegmentsSharingAPage) {
  auto image = kernel_image();
  // Data now starts in the page where text ends (text ends at +0x1800).
  put<uint64_t>(image, ph(1, kPhVaddr), kKernelBase + 0x1000);
  EXPECT_EQ(check(image), ElfError::SegmentsOverlap);
}

TEST(Elf, RejectsEntryOutsideExecutableSegment) {
  auto image = kernel_image();
  put<uint64_t>(image, kOffEntry, kKernelBase + 0x2000);  // in the data segment
  EXPECT_EQ(check(image), ElfError::EntryNotExecutable);
  put<uint64_t>(image, kOffEntry, kKernelBase + 0x1800);  // one past the end of text
  EXPECT_EQ(check(image), ElfError::EntryNotExecutable);
  put<uint64_t>(image, kOffEntry, 0);
  EXPECT_EQ(check(image), ElfError::EntryNotExecutable);
}

TEST(Elf, KernelTargetAllowsWritableAndExecutableSegment) {
  auto image = kernel_image();
  put<uint32_t>(image, ph(0, kPhFlags), R | W | X);
  EXPECT_EQ(check(image), ElfError::None);
}

TEST(Elf, UserRejectsWritableAndExecutableSegment) {
  auto image = user_image();
  put<uint32_t>(image, ph(1, kPhFlags), R | W | X);
  EXPECT_EQ(check(image, ElfTarget::User), ElfError::WritableAndExecutable);
}

TEST(Elf, UserRejectsKernelHalfAddress) {
  const auto image = kernel_image();
  EXPECT_EQ(check(image, ElfTarget::User), ElfError::SegmentWrongHalf);
}

TEST(Elf, UserRejectsSegmentEndingPastUserHalf) {
  auto image = user_image();
  put<uint64_t>(image, ph(2, kPhVaddr), 0x00007FFFFFFFF6d8ULL);
  EXPECT_EQ(check(image, ElfTarget::User), ElfError::SegmentWrongHalf);
}

TEST(Elf, UserRejectsLowPages) {
  auto image = user_image();
  put<uint64_t>(image, ph(0, kPhVaddr), 0);  // page 0
  EXPECT_EQ(check(image, ElfTarget::User), ElfError::SegmentWrongHalf);
  put<uint64_t>(image, ph(0, kPhVaddr), 0xF000);  // still below 64 KiB
  EXPECT_EQ(check(image, ElfTarget::User), ElfError::SegmentWrongHalf);
  put<uint64_t>(image, ph(0, kPhVaddr), 0x10000);
  EXPECT_EQ(check(image, ElfTarget::User), ElfError::None);
}

TEST(Elf, UserRequiresVaddrCongruentToOffset) {
  auto image = user_image();
  put<uint64_t>(image, ph(2, kPhOffset), 0x36d0);
  EXPECT_EQ(check(image, ElfTarget::User), ElfError::SegmentMisaligned);
}

}  // namespace
