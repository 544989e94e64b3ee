// Parser for initrd manifests (format documented in initrd/README.md).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "result.h"

namespace mu::initrd {

enum class EntryKind { Directory, File };

struct ManifestEntry {
  EntryKind kind;
  std::string archive_path;  // normalised, no leading '/'
  std::string source_path;   // host file (File only), variables substituted, made absolute
  uint32_t permissions;      // 0..07777
  int line;                  // 1-based manifest line, for error messages
};

// Values for ${NAME} references in source paths (from -D NAME=VALUE).
using Variables = std::map<std::string, std::string, std::less<>>;

// Parses manifest `text`. `manifest_name` prefixes error messages ("<name>:<line>: ...");
// relative source paths are taken relative to `manifest_dir`. Checks that every entry's parent
// directory was declared before it and that no archive path appears twice.
[[nodiscard]] Result<std::vector<ManifestEntry>> parse_manifest(std::string_view text,
                                                                const std::string& manifest_name,
                                                                const std::string& manifest_dir,
                                                                const Variables& variables);

// Replaces each ${NAME} in `text` by its value; fails on an unknown or unterminated reference.
[[nodiscard]] Result<std::string> substitute_variables(std::string_view text,
                                                       const Variables& variables);

}  // namespace mu::initrd
