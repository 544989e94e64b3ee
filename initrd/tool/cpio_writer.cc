// cpio newc writer (format: a 110-byte ASCII header, the NUL-terminated name, the data, each
// padded to 4 bytes; see cpio(5) "New ASCII Format").
#include "cpio_writer.h"

#include <cstdio>
#include <string>

#include <mu/cpio.h>

namespace mu::initrd {

namespace {

constexpr uint32_t kMaxNameSize = 4096;  // PATH_MAX: no reader accepts longer names anyway

}  // namespace

Status CpioWriter::add_directory(std::string_view path, uint32_t permissions) {
  if (path.size() + 1 > kMaxNameSize) {
    return Error{"archive path too long"};
  }
  append_entry(path, next_inode_++, kCpioModeDirectory | (permissions & 07777), 2, {});
  return Ok{};
}

Status CpioWriter::add_file(std::string_view path, uint32_t permissions,
                            std::span<const uint8_t> data) {
  if (path.size() + 1 > kMaxNameSize) {
    return Error{"archive path too long"};
  }
  if (data.size() > 0xFFFFFFFFu) {
    return Error{"'" + std::string(path) + "' is larger than the 4 GiB a newc entry can hold"};
  }
  append_entry(path, next_inode_++, kCpioModeRegular | (permissions & 07777), 1, data);
  return Ok{};
}

std::vector<uint8_t> CpioWriter::finish() {
  append_entry("TRAILER!!!", 0, 0, 1, {});
  std::vector<uint8_t> out;
  out.swap(bytes_);
  next_inode_ = 1;
  return out;
}

void CpioWriter::append_entry(std::string_view name, uint32_t inode, uint32_t mode, uint32_t nlink,
                              std::span<const uint8_t> data) {
  // Field order: ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor
  // namesize check. uid, gid, mtime, devices and check are always 0 for reproducibility.
  const uint32_t fields[13] = {inode,
                               mode,
                               0,
                               0,
                               nlink,
                               0,
                               static_cast<uint32_t>(data.size()),
                               0,
                               0,
                               0,
                               0,
                               static_cast<uint32_t>(name.size() + 1),
                               0};
  char header[6 + 13 * 8 + 1];
  int length = std::snprintf(header, sizeof header, "070701");
  for (uint32_t field : fields) {
    length +=
        std::snprintf(header + length, sizeof header - static_cast<size_t>(length), "%08X", field);
  }
  bytes_.insert(bytes_.end(), header, header + length);
  bytes_.insert(bytes_.end(), name.begin(), name.end());
  bytes_.push_back(0);
  pad_to_4();
  bytes_.insert(bytes_.end(), data.begin(), data.end());
  pad_to_4();
}

void CpioWriter::pad_to_4() {
  while (bytes_.size() % 4 != 0) {
    bytes_.push_back(0);
  }
}

}  // namespace mu::initrd
