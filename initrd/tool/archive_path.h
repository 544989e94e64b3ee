// Checks and normalises paths stored in (or destined for) an initrd archive.
#pragma once

#include <string>
#include <string_view>

#include "result.h"

namespace mu::initrd {

// How to treat a leading '/': manifests may write "/sbin/init"; archives being extracted may not.
enum class LeadingSlash { Strip, Refuse };

// Returns `path` with empty and "." components removed ("./a//b" -> "a/b"; "." -> "").
// Refuses (with the reason) a ".." component anywhere, a leading '/' when `leading` is Refuse,
// and control characters. An empty result means the archive root.
[[nodiscard]] Result<std::string> normalize_archive_path(std::string_view path,
                                                         LeadingSlash leading);

// `path` with bytes outside printable ASCII shown as \xNN, safe to print on a terminal.
[[nodiscard]] std::string printable_path(std::string_view path);

// The directory part of a normalised path ("a/b/c" -> "a/b", "a" -> "").
[[nodiscard]] std::string_view parent_path(std::string_view path);

}  // namespace mu::initrd
