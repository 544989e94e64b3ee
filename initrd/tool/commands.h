// The mu-initrd subcommands: pack a manifest, list an archive, extract an archive.
#pragma once

#include <cstdint>
#include <ostream>
#include <span>
#include <string>

#include "manifest.h"
#include "result.h"

namespace mu::initrd {

struct PackOptions {
  std::string manifest_path;
  std::string output_path;
  std::string depfile_path;  // optional: Makefile-style dependency list for the build system
  Variables variables;
};

// Builds the archive described by the manifest and writes it atomically.
[[nodiscard]] Status pack(const PackOptions& options);

// Writes one line per entry (mode, size, path) plus ELF details for ELF files.
[[nodiscard]] Status list_archive(const std::string& archive_name, std::span<const uint8_t> archive,
                                  std::ostream& out);

// Formats st_mode like `ls -l` ("-rwxr-xr-x", "drwxr-xr-x").
[[nodiscard]] std::string mode_string(uint32_t mode);

// Unpacks regular files and directories under `destination` (created if missing). Validates the
// whole archive, including every name, before writing anything; refuses absolute paths and '..'.
[[nodiscard]] Status extract_archive(const std::string& archive_name,
                                     std::span<const uint8_t> archive,
                                     const std::string& destination, std::ostream& warnings);

}  // namespace mu::initrd
