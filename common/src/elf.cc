// ELF64 executable validation: every header field the loaders rely on is checked before use.
#include "mu/elf.h"

namespace mu {
namespace {

// System V gABI / ELF-64 Object File Format 1.5: header and program-header layout.
constexpr size_t kEhdrSize = 64;
constexpr size_t kPhdrSize = 56;

constexpr size_t kIdentClass = 4;
constexpr size_t kIdentData = 5;
constexpr size_t kIdentVersion = 6;
constexpr uint8_t kElfClass64 = 2;
constexpr uint8_t kElfData2Lsb = 1;
constexpr uint32_t kEvCurrent = 1;
constexpr uint16_t kEtExec = 2;
constexpr uint16_t kEmX86_64 = 62;

constexpr uint32_t kPtNull = 0;
constexpr uint32_t kPtLoad = 1;
constexpr uint32_t kPtNote = 4;
constexpr uint32_t kPtTls = 7;
constexpr uint32_t kPtGnuEhFrame = 0x6474e550;
constexpr uint32_t kPtGnuStack = 0x6474e551;
constexpr uint32_t kPtGnuRelro = 0x6474e552;
constexpr uint32_t kPtGnuProperty = 0x6474e553;

constexpr uint64_t kPage = 4096;
constexpr uint64_t kPageMask = kPage - 1;
constexpr uint64_t kUserHalfEnd = 0x0000800000000000ULL;  // first non-canonical address
constexpr uint64_t kKernelHalfStart = 0xFFFF800000000000ULL;
constexpr uint64_t kUserLowest = 0x10000;  // pages below stay unmapped to catch null derefs

// Fields may sit at any alignment in the caller's buffer, so copy instead of casting.
template <typename T>
T read_le(const uint8_t* p) {
  T value;
  __builtin_memcpy(&value, p, sizeof(value));
  return value;  // x86-64 is little endian, like the images we accept
}

struct Phdr {
  uint32_t type;
  uint32_t flags;
  uint64_t offset;
  uint64_t vaddr;
  uint64_t filesz;
  uint64_t memsz;
};

Phdr read_phdr(const uint8_t* p) {
  Phdr h;
  h.type = read_le<uint32_t>(p + 0);
  h.flags = read_le<uint32_t>(p + 4);
  h.offset = read_le<uint64_t>(p + 8);
  h.vaddr = read_le<uint64_t>(p + 16);
  // p_paddr (+24) is ignored: the loaders choose physical placement themselves.
  h.filesz = read_le<uint64_t>(p + 32);
  h.memsz = read_le<uint64_t>(p + 40);
  // p_align (+48) is not enforced; see the alignment rule in check_load.
  return h;
}

// Segment types that describe memory inside PT_LOAD segments or are pure hints, so no loader
// action depends on them. PT_GNU_RELRO/PT_GNU_EH_FRAME are emitted by ordinary static links
// (gcc -static, busybox-static) and are as harmless as PT_GNU_STACK.
bool is_ignored_type(uint32_t type, ElfTarget target) {
  switch (type) {
    case kPtNull:
    case kPtNote:
    case kPtGnuEhFrame:
    case kPtGnuStack:
    case kPtGnuRelro:
    case kPtGnuProperty: return true;
    case kPtTls:
      // The user runtime sets up TLS from the template inside a PT_LOAD; the kernel has no TLS.
      return target == ElfTarget::User;
    default: return false;
  }
}

// Checks one PT_LOAD against the file and the target's address rules. On success stores the
// page-rounded span [page_start, page_end) the segment occupies.
ElfError check_load(const Phdr& h, size_t file_size, ElfTarget target, uint64_t* page_start,
                    uint64_t* page_end) {
  if (h.filesz > h.memsz) return ElfError::FileszExceedsMemsz;

  uint64_t file_end;
  if (__builtin_add_overflow(h.offset, h.filesz, &file_end) || file_end > file_size) {
    return ElfError::SegmentOutOfFile;
  }

  uint64_t end;  // exclusive; a segment ending exactly at 2^64 is rejected here too
  if (__builtin_add_overflow(h.vaddr, h.memsz, &end)) return ElfError::AddressOverflow;
  uint64_t rounded_end;
  if (__builtin_add_overflow(end, kPageMask, &rounded_end)) return ElfError::AddressOverflow;
  rounded_end &= ~kPageMask;

  // Both halves are canonical by construction: the user half ends at 2^47 and the kernel
  // half starts at 2^64 - 2^47, and the segment must lie entirely inside one of them.
  if (target == ElfTarget::Kernel) {
    if (h.vaddr < kKernelHalfStart) return ElfError::SegmentWrongHalf;
  } else {
    if (h.vaddr < kUserLowest || end > kUserHalfEnd) return ElfError::SegmentWrongHalf;
  }

  // Alignment rules:
  //  Kernel: p_vaddr and p_offset both 4 KiB aligned. muboot copies each segment to its own
  //          page-aligned physical frames and maps whole pages, and our linker script aligns.
  //  User:   p_vaddr % 4096 == p_offset % 4096 only (gABI's congruence rule at page
  //          granularity). Static linkers emit unaligned data segments (e.g. 0x4a06d8 at file
  //          offset 0xa06d8), which a page-granular mapper handles by mapping the whole page.
  // p_align itself is not enforced: page congruence is all a page-granular loader needs.
  if (target == ElfTarget::Kernel) {
    if ((h.vaddr & kPageMask) != 0 || (h.offset & kPageMask) != 0) {
      return ElfError::SegmentMisaligned;
    }
  } else if ((h.vaddr & kPageMask) != (h.offset & kPageMask)) {
    return ElfError::SegmentMisaligned;
  }

  if (target == ElfTarget::User && (h.flags & kElfSegmentWrite) != 0 &&
      (h.flags & kElfSegmentExec) != 0) {
    return ElfError::WritableAndExecutable;
  }

  *page_start = h.vaddr & ~kPageMask;
  *page_end = rounded_end;
  return ElfError::None;
}

}  // namespace

const char* elf_error_string(ElfError error) {
  switch (error) {
    case ElfError::None: return "ok";
    case ElfError::TooSmall: return "file smaller than an ELF64 header";
    case ElfError::BadMagic: return "not an ELF file (bad magic)";
    case ElfError::NotElf64: return "not a 64-bit ELF file";
    case ElfError::NotLittleEndian: return "not a little-endian ELF file";
    case ElfError::BadVersion: return "unsupported ELF version";
    case ElfError::NotX86_64: return "not an x86-64 executable";
    case ElfError::NotExecutable: return "not a static executable (ET_EXEC)";
    case ElfError::BadHeaderSize: return "unexpected ELF header or program header size";
    case ElfError::NoSegments: return "no loadable segments";
    case ElfError::TooManySegments: return "too many program headers";
    case ElfError::PhdrsOutOfFile: return "program header table outside the file";
    case ElfError::UnsupportedSegment: return "unsupported segment type (dynamic linking or TLS?)";
    case ElfError::FileszExceedsMemsz: return "segment file size exceeds memory size";
    case ElfError::SegmentOutOfFile: return "segment data outside the file";
    case ElfError::AddressOverflow: return "segment address range overflows";
    case ElfError::SegmentWrongHalf: return "segment outside the allowed address range";
    case ElfError::SegmentMisaligned: return "segment not page-aligned";
    case ElfError::SegmentsOverlap: return "segments overlap";
    case ElfError::WritableAndExecutable: return "segment both writable and executable";
    case ElfError::EntryNotExecutable: return "entry point not in an executable segment";
  }
  return "unknown ELF error";
}

ElfError validate_elf(const uint8_t* data, size_t size, ElfTarget target, ElfImage* out) {
  if (data == nullptr || size < kEhdrSize) return ElfError::TooSmall;
  if (data[0] != 0x7f || data[1] != 'E' || data[2] != 'L' || data[3] != 'F') {
    return ElfError::BadMagic;
  }
  if (data[kIdentClass] != kElfClass64) return ElfError::NotElf64;
  if (data[kIdentData] != kElfData2Lsb) return ElfError::NotLittleEndian;
  if (data[kIdentVersion] != kEvCurrent || read_le<uint32_t>(data + 20) != kEvCurrent) {
    return ElfError::BadVersion;
  }
  if (read_le<uint16_t>(data + 18) != kEmX86_64) return ElfError::NotX86_64;
  if (read_le<uint16_t>(data + 16) != kEtExec) return ElfError::NotExecutable;
  if (read_le<uint16_t>(data + 52) != kEhdrSize || read_le<uint16_t>(data + 54) != kPhdrSize) {
    return ElfError::BadHeaderSize;
  }

  const uint64_t entry = read_le<uint64_t>(data + 24);
  const uint64_t phoff = read_le<uint64_t>(data + 32);
  // e_phnum == 0xffff (PN_XNUM, count in section 0) lands in TooManySegments, which is right.
  const size_t phnum = read_le<uint16_t>(data + 56);
  if (phnum == 0) return ElfError::NoSegments;
  if (phnum > kMaxElfSegments) return ElfError::TooManySegments;

  uint64_t table_size;
  uint64_t table_end;
  if (__builtin_mul_overflow(static_cast<uint64_t>(phnum), kPhdrSize, &table_size) ||
      __builtin_add_overflow(phoff, table_size, &table_end) || table_end > size) {
    return ElfError::PhdrsOutOfFile;
  }

  // Build the result in a local and publish it only when everything checked out.
  ElfImage image{};
  uint64_t page_starts[kMaxElfSegments];
  uint64_t page_ends[kMaxElfSegments];
  for (size_t i = 0; i < phnum; ++i) {
    const Phdr h = read_phdr(data + phoff + i * kPhdrSize);
    if (h.type != kPtLoad) {
      if (is_ignored_type(h.type, target)) continue;
      return ElfError::UnsupportedSegment;
    }
    const size_t n = image.segment_count;
    ElfError error = check_load(h, size, target, &page_starts[n], &page_ends[n]);
    if (error != ElfError::None) return error;
    // Sharing a page would make two segments fight over its contents and permissions.
    for (size_t j = 0; j < n; ++j) {
      if (page_starts[n] < page_ends[j] && page_starts[j] < page_ends[n]) {
        return ElfError::SegmentsOverlap;
      }
    }
    const uint32_t flags = h.flags & (kElfSegmentExec | kElfSegmentWrite | kElfSegmentRead);
    image.segments[n] = ElfSegment{h.vaddr, h.memsz, h.offset, h.filesz, flags};
    image.segment_count = n + 1;
  }
  if (image.segment_count == 0) return ElfError::NoSegments;

  bool entry_ok = false;
  image.lowest_vaddr = ~0ULL;
  image.highest_end = 0;
  for (size_t i = 0; i < image.segment_count; ++i) {
    const ElfSegment& s = image.segments[i];
    // vaddr + memsz cannot overflow: check_load proved it.
    if ((s.flags & kElfSegmentExec) != 0 && entry >= s.vaddr && entry - s.vaddr < s.memsz) {
      entry_ok = true;
    }
    if (page_starts[i] < image.lowest_vaddr) image.lowest_vaddr = page_starts[i];
    if (page_ends[i] > image.highest_end) image.highest_end = page_ends[i];
  }
  if (!entry_ok) return ElfError::EntryNotExecutable;

  image.entry = entry;
  if (out != nullptr) *out = image;
  return ElfError::None;
}

}  // namespace mu
