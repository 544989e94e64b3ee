// Describes an ELF file (type, machine, entry, loadable segments) with libelf, for `mu-initrd ls`.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace mu::initrd {

// True if `data` starts with the ELF magic.
[[nodiscard]] bool looks_like_elf(std::span<const uint8_t> data);

// Human-readable lines about the ELF image in `data`; a malformed image yields a line saying so
// (never a crash). Includes whether muOS's own validator accepts it as a user program.
[[nodiscard]] std::vector<std::string> describe_elf(std::span<const uint8_t> data);

}  // namespace mu::initrd
