// Writes reproducible cpio "newc" archives: mtime 0, uid/gid 0, inodes numbered 1, 2, 3, ...
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "result.h"

namespace mu::initrd {

class CpioWriter {
 public:
  // Appends a directory entry. `permissions` are the low 12 mode bits.
  [[nodiscard]] Status add_directory(std::string_view path, uint32_t permissions);
  // Appends a regular file; fails if `data` does not fit newc's 32-bit size field.
  [[nodiscard]] Status add_file(std::string_view path, uint32_t permissions,
                                std::span<const uint8_t> data);
  // Appends the TRAILER!!! entry and returns the archive. The writer is empty afterwards.
  [[nodiscard]] std::vector<uint8_t> finish();

 private:
  void append_entry(std::string_view name, uint32_t inode, uint32_t mode, uint32_t nlink,
                    std::span<const uint8_t> data);
  void pad_to_4();

  std::vector<uint8_t> bytes_;
  uint32_t next_inode_ = 1;
};

}  // namespace mu::initrd
