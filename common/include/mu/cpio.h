// Reader for cpio "newc" archives (the Linux initramfs format), used by the kernel, tools and
// tests.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace mu {

enum class CpioError : uint32_t {
  None = 0,
  End,                // the TRAILER!!! entry was reached: not an error
  Truncated,          // header, name or data runs past the end of the archive
  BadMagic,           // header does not start with "070701" (or "070702")
  BadHexField,        // a header field is not 8 hex digits
  BadNameSize,        // c_namesize is 0 or larger than the archive allows
  NameNotTerminated,  // the name is not NUL-terminated at c_namesize-1
  SizeOutOfRange,     // c_filesize runs past the end of the archive
  MissingTrailer,     // archive ended without TRAILER!!!
};

[[nodiscard]] const char* cpio_error_string(CpioError error);

struct CpioEntry {
  const char* name;     // NUL-terminated, points into the archive
  size_t name_length;   // without the NUL
  const uint8_t* data;  // points into the archive
  uint64_t size;
  uint32_t mode;  // st_mode bits (type and permissions)
  uint32_t uid;
  uint32_t gid;
  uint32_t nlink;
  uint32_t mtime;
  uint32_t ino;
};

// Walks an archive entry by entry. Never reads outside [data, data+size).
class CpioReader {
 public:
  CpioReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  // Fills `entry` with the next entry and returns None, or returns End after the trailer,
  // or an error (after which every call returns the same error).
  [[nodiscard]] CpioError next(CpioEntry* entry);

  // Byte offset of the next header (for error messages).
  [[nodiscard]] size_t offset() const { return offset_; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t offset_ = 0;
  CpioError sticky_ = CpioError::None;
};

inline constexpr uint32_t kCpioModeTypeMask = 0170000;
inline constexpr uint32_t kCpioModeRegular = 0100000;
inline constexpr uint32_t kCpioModeDirectory = 0040000;

}  // namespace mu
