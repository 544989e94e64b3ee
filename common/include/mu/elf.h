// ELF64 executable validation shared by muboot, the kernel's program loader, tools and tests.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace mu {

inline constexpr size_t kMaxElfSegments = 16;

// Segment permission bits, as ELF's p_flags.
inline constexpr uint32_t kElfSegmentExec = 1;
inline constexpr uint32_t kElfSegmentWrite = 2;
inline constexpr uint32_t kElfSegmentRead = 4;

// What the image is meant to be; each target adds its own address rules.
enum class ElfTarget : uint32_t {
  Kernel,  // segments in the higher half (>= 0xFFFF800000000000)
  User,    // segments in the user half (< 0x0000800000000000), no page 0, no W+X segment
};

enum class ElfError : uint32_t {
  None = 0,
  TooSmall,            // shorter than an ELF64 header
  BadMagic,            // not "\x7fELF"
  NotElf64,            // EI_CLASS is not ELFCLASS64
  NotLittleEndian,     // EI_DATA is not ELFDATA2LSB
  BadVersion,          // EI_VERSION / e_version is not EV_CURRENT
  NotX86_64,           // e_machine is not EM_X86_64
  NotExecutable,       // e_type is not ET_EXEC
  BadHeaderSize,       // e_ehsize or e_phentsize wrong
  NoSegments,          // e_phnum == 0 or no PT_LOAD
  TooManySegments,     // more than kMaxElfSegments program headers
  PhdrsOutOfFile,      // program header table not inside the file
  UnsupportedSegment,  // a segment type other than PT_LOAD (PT_NULL/PT_NOTE/PT_GNU_STACK ignored)
  FileszExceedsMemsz,  // p_filesz > p_memsz
  SegmentOutOfFile,    // p_offset + p_filesz overflows or ends past the file
  AddressOverflow,     // p_vaddr + p_memsz overflows
  SegmentWrongHalf,    // not in the half the target requires (or non-canonical)
  SegmentMisaligned,   // p_vaddr or p_offset not 4 KiB aligned, or p_vaddr%p_align !=
                       // p_offset%p_align
  SegmentsOverlap,     // two PT_LOAD segments share a page
  WritableAndExecutable,  // W+X segment (User target only)
  EntryNotExecutable,     // e_entry not inside an executable segment
};

[[nodiscard]] const char* elf_error_string(ElfError error);

struct ElfSegment {
  uint64_t vaddr;
  uint64_t memsz;
  uint64_t offset;
  uint64_t filesz;
  uint32_t flags;  // kElfSegment* bits
};

struct ElfImage {
  uint64_t entry;
  uint64_t lowest_vaddr;  // page-aligned start of the lowest segment
  uint64_t highest_end;   // page-rounded end of the highest segment
  size_t segment_count;   // PT_LOAD segments only, in file order
  ElfSegment segments[kMaxElfSegments];
};

// Validates `data[0..size)` as an executable for `target` and describes its loadable segments.
// Reads nothing outside the buffer; `out` is written only on success.
[[nodiscard]] ElfError validate_elf(const uint8_t* data, size_t size, ElfTarget target,
                                    ElfImage* out);

}  // namespace mu
