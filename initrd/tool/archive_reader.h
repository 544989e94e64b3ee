// Reads every entry of a cpio newc archive through the shared mu::CpioReader.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <mu/cpio.h>

#include "result.h"

namespace mu::initrd {

// All entries before the trailer, in archive order (pointers into `archive`). On a malformed
// archive the error reads "<archive_name>: corrupt archive: <reason> at offset <N>".
[[nodiscard]] Result<std::vector<CpioEntry>> read_entries(const std::string& archive_name,
                                                          std::span<const uint8_t> archive);

}  // namespace mu::initrd
