// Path checks shared by `mu-initrd pack` (manifest paths) and `mu-initrd extract` (archive names).
#include "archive_path.h"

#include <cstdio>

namespace mu::initrd {

Result<std::string> normalize_archive_path(std::string_view path, LeadingSlash leading) {
  if (path.empty()) {
    return Error{"empty path"};
  }
  if (path.front() == '/') {
    if (leading == LeadingSlash::Refuse) {
      return Error{"absolute path '" + printable_path(path) + "' refused"};
    }
  }
  for (char c : path) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      return Error{"control character in path '" + printable_path(path) + "'"};
    }
  }
  std::string normalized;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      slash = path.size();
    }
    std::string_view component = path.substr(start, slash - start);
    if (component == "..") {
      return Error{"'..' component in path '" + printable_path(path) +
                   "' refused (path traversal)"};
    }
    if (!component.empty() && component != ".") {
      if (!normalized.empty()) {
        normalized += '/';
      }
      normalized += component;
    }
    start = slash + 1;
  }
  return normalized;
}

std::string printable_path(std::string_view path) {
  std::string out;
  for (char c : path) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f || c == '\\') {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out;
}

std::string_view parent_path(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
}

}  // namespace mu::initrd
