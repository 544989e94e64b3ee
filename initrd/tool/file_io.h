// Whole-file reads and atomic (temp file + rename) writes for the mu-initrd tool.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "result.h"

namespace mu::initrd {

// Reads the regular file at `path` completely.
[[nodiscard]] Result<std::vector<uint8_t>> read_file(const std::string& path);

// Writes `bytes` to a temporary file next to `path`, then renames it over `path`, so a failure
// never leaves a partial file behind. `mode` is the permission of the new file.
[[nodiscard]] Status write_file_atomically(const std::string& path, std::span<const uint8_t> bytes,
                                           unsigned mode = 0644);

// Writes all of `bytes` to the open descriptor `fd` (retrying short writes).
[[nodiscard]] Status write_all(int fd, std::span<const uint8_t> bytes, const std::string& name);

}  // namespace mu::initrd
