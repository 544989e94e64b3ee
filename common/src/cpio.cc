// cpio "newc" reader: bounds-checked walk over an in-memory initramfs archive.
#include "mu/cpio.h"

namespace mu {
namespace {

// Layout of a newc header (cpio(5), "New ASCII Format"): the 6-byte magic, then 13 fields of
// 8 ASCII hex digits. The name follows; header+name and the file data are each padded to a
// multiple of 4 bytes, counted from the start of the archive.
constexpr size_t kHeaderSize = 110;
constexpr size_t kMagicSize = 6;
constexpr size_t kFieldSize = 8;

enum Field : size_t {
  kIno = 0,
  kMode,
  kUid,
  kGid,
  kNlink,
  kMtime,
  kFilesize,
  kDevMajor,
  kDevMinor,
  kRdevMajor,
  kRdevMinor,
  kNamesize,
  kCheck,
  kFieldCount,
};
static_assert(kMagicSize + kFieldCount * kFieldSize == kHeaderSize);

constexpr char kTrailerName[] = "TRAILER!!!";
constexpr size_t kTrailerNameSize = sizeof(kTrailerName);  // with the NUL, like c_namesize

bool parse_hex8(const uint8_t* p, uint32_t* out) {
  uint32_t value = 0;
  for (size_t i = 0; i < kFieldSize; ++i) {
    const uint8_t c = p[i];
    uint32_t digit;
    if (c >= '0' && c <= '9') {
      digit = static_cast<uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<uint32_t>(c - 'A' + 10);
    } else {
      return false;
    }
    value = (value << 4) | digit;
  }
  *out = value;
  return true;
}

// Rounds `value` up to a multiple of 4; false on overflow.
bool align4(size_t value, size_t* out) {
  if (__builtin_add_overflow(value, size_t{3}, out)) return false;
  *out &= ~size_t{3};
  return true;
}

bool has_magic(const uint8_t* p) {
  // "070701" is newc, "070702" the same layout with a checksum we do not verify.
  static constexpr uint8_t kPrefix[5] = {'0', '7', '0', '7', '0'};
  for (size_t i = 0; i < sizeof(kPrefix); ++i) {
    if (p[i] != kPrefix[i]) return false;
  }
  return p[5] == '1' || p[5] == '2';
}

}  // namespace

const char* cpio_error_string(CpioError error) {
  switch (error) {
    case CpioError::None: return "ok";
    case CpioError::End: return "end of archive";
    case CpioError::Truncated: return "archive truncated";
    case CpioError::BadMagic: return "bad cpio magic (expected newc 070701)";
    case CpioError::BadHexField: return "cpio header field is not hexadecimal";
    case CpioError::BadNameSize: return "bad cpio name size";
    case CpioError::NameNotTerminated: return "cpio name not NUL-terminated";
    case CpioError::SizeOutOfRange: return "cpio file size out of range";
    case CpioError::MissingTrailer: return "archive ends without TRAILER!!!";
  }
  return "unknown cpio error";
}

namespace {

// Error split, following the comments in cpio.h:
//  - a size field larger than the whole archive can never be right: BadNameSize/SizeOutOfRange;
//  - a plausible size that runs past the end of this buffer means the archive was cut: Truncated.
// On success advances *offset to the next header.
CpioError parse_entry(const uint8_t* data, size_t size, size_t* offset, CpioEntry* entry) {
  const size_t pos = *offset;
  if (pos >= size) return CpioError::MissingTrailer;
  const size_t remaining = size - pos;
  if (remaining < kHeaderSize) return CpioError::Truncated;

  const uint8_t* header = data + pos;
  if (!has_magic(header)) return CpioError::BadMagic;
  uint32_t fields[kFieldCount];
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (!parse_hex8(header + kMagicSize + i * kFieldSize, &fields[i])) {
      return CpioError::BadHexField;
    }
  }

  const size_t name_size = fields[kNamesize];
  if (name_size == 0 || name_size > size) return CpioError::BadNameSize;
  // pos < size and both added terms are <= size, so none of these sums can overflow a
  // size_t that holds an in-memory buffer size; checked anyway because the cost is nil.
  const size_t name_offset = pos + kHeaderSize;
  size_t name_end;
  if (__builtin_add_overflow(name_offset, name_size, &name_end) || name_end > size) {
    return CpioError::Truncated;
  }
  const char* name = reinterpret_cast<const char*>(data + name_offset);
  // Exactly name_size - 1 non-NUL bytes and then the NUL, so name_length is the real length.
  for (size_t i = 0; i + 1 < name_size; ++i) {
    if (name[i] == '\0') return CpioError::NameNotTerminated;
  }
  if (name[name_size - 1] != '\0') return CpioError::NameNotTerminated;

  const uint64_t file_size = fields[kFilesize];
  if (file_size > size) return CpioError::SizeOutOfRange;
  size_t data_offset;
  size_t data_end;
  if (!align4(name_end, &data_offset) ||
      __builtin_add_overflow(data_offset, static_cast<size_t>(file_size), &data_end) ||
      data_end > size) {
    return CpioError::Truncated;
  }

  if (name_size == kTrailerNameSize) {
    bool is_trailer = true;
    for (size_t i = 0; i < kTrailerNameSize; ++i) {
      if (name[i] != kTrailerName[i]) is_trailer = false;
    }
    if (is_trailer) return CpioError::End;
  }

  size_t next_offset;
  if (!align4(data_end, &next_offset)) return CpioError::Truncated;

  if (entry != nullptr) {
    entry->name = name;
    entry->name_length = name_size - 1;
    entry->data = data + data_offset;
    entry->size = file_size;
    entry->mode = fields[kMode];
    entry->uid = fields[kUid];
    entry->gid = fields[kGid];
    entry->nlink = fields[kNlink];
    entry->mtime = fields[kMtime];
    entry->ino = fields[kIno];
  }
  // May point past size when the final padding is missing; the next call then reports
  // MissingTrailer, which is what that archive lacks.
  *offset = next_offset;
  return CpioError::None;
}

}  // namespace

CpioError CpioReader::next(CpioEntry* entry) {
  if (sticky_ != CpioError::None) return sticky_;
  const CpioError result = parse_entry(data_, size_, &offset_, entry);
  if (result != CpioError::None) sticky_ = result;
  return result;
}

}  // namespace mu
