// Parser for initrd manifests: "dir <path> <mode>" and "file <path> <source> <mode>" lines.
#include "manifest.h"

#include <set>

#include "archive_path.h"

namespace mu::initrd {

namespace {

std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
      ++i;
    }
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
      ++i;
    }
    if (i > start) {
      words.push_back(line.substr(start, i - start));
    }
  }
  return words;
}

Result<uint32_t> parse_permissions(std::string_view word) {
  if (word.empty() || word.size() > 5) {
    return Error{"mode '" + std::string(word) + "' is not an octal permission (e.g. 0755)"};
  }
  uint32_t value = 0;
  for (char c : word) {
    if (c < '0' || c > '7') {
      return Error{"mode '" + std::string(word) + "' is not an octal permission (e.g. 0755)"};
    }
    value = value * 8 + static_cast<uint32_t>(c - '0');
  }
  if (value > 07777) {
    return Error{"mode '" + std::string(word) + "' has bits beyond 07777"};
  }
  return value;
}

std::string make_absolute(const std::string& path, const std::string& base_dir) {
  if (!path.empty() && path.front() == '/') {
    return path;
  }
  if (base_dir.empty()) {
    return path;
  }
  return base_dir + "/" + path;
}

// Parses one non-blank, non-comment line.
Result<ManifestEntry> parse_line(std::string_view line, int line_number,
                                 const std::string& manifest_dir, const Variables& variables) {
  std::vector<std::string_view> words = split_words(line);
  ManifestEntry entry{EntryKind::File, {}, {}, 0, line_number};
  std::string_view keyword = words[0];
  std::string_view mode_word;
  if (keyword == "dir") {
    if (words.size() != 3) {
      return Error{"expected 'dir <archive-path> <mode>'"};
    }
    entry.kind = EntryKind::Directory;
    mode_word = words[2];
  } else if (keyword == "file") {
    if (words.size() != 4) {
      return Error{"expected 'file <archive-path> <source> <mode>'"};
    }
    Result<std::string> source = substitute_variables(words[2], variables);
    if (!source.ok()) {
      return source.error();
    }
    if (source.value().empty()) {
      return Error{"source path is empty after substitution"};
    }
    entry.source_path = make_absolute(source.value(), manifest_dir);
    mode_word = words[3];
  } else {
    return Error{"unknown entry type '" + std::string(keyword) + "' (expected 'dir' or 'file')"};
  }
  Result<std::string> path = normalize_archive_path(words[1], LeadingSlash::Strip);
  if (!path.ok()) {
    return path.error();
  }
  if (path.value().empty()) {
    return Error{"archive path '" + std::string(words[1]) + "' names the archive root"};
  }
  entry.archive_path = std::move(path.value());
  Result<uint32_t> permissions = parse_permissions(mode_word);
  if (!permissions.ok()) {
    return permissions.error();
  }
  entry.permissions = permissions.value();
  return entry;
}

}  // namespace

Result<std::string> substitute_variables(std::string_view text, const Variables& variables) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      size_t close = text.find('}', i + 2);
      if (close == std::string_view::npos) {
        return Error{"unterminated '${' in '" + std::string(text) + "'"};
      }
      std::string_view name = text.substr(i + 2, close - i - 2);
      auto found = variables.find(name);
      if (found == variables.end()) {
        return Error{"undefined variable ${" + std::string(name) + "} (pass -D " +
                     std::string(name) + "=VALUE)"};
      }
      out += found->second;
      i = close + 1;
    } else {
      out += text[i];
      ++i;
    }
  }
  return out;
}

Result<std::vector<ManifestEntry>> parse_manifest(std::string_view text,
                                                  const std::string& manifest_name,
                                                  const std::string& manifest_dir,
                                                  const Variables& variables) {
  std::vector<ManifestEntry> entries;
  std::set<std::string, std::less<>> directories;
  std::set<std::string, std::less<>> paths;
  int line_number = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') {
      continue;
    }
    auto fail = [&](const std::string& reason) {
      return Error{manifest_name + ":" + std::to_string(line_number) + ": " + reason};
    };
    Result<ManifestEntry> entry = parse_line(line, line_number, manifest_dir, variables);
    if (!entry.ok()) {
      return fail(entry.error().message);
    }
    const std::string& path = entry.value().archive_path;
    if (paths.contains(path)) {
      return fail("'" + path + "' appears twice");
    }
    std::string_view parent = parent_path(path);
    if (!parent.empty() && !directories.contains(parent)) {
      return fail("parent directory '" + std::string(parent) + "' of '" + path +
                  "' not declared (add 'dir " + std::string(parent) + " 0755' before this line)");
    }
    paths.insert(path);
    if (entry.value().kind == EntryKind::Directory) {
      directories.insert(path);
    }
    entries.push_back(std::move(entry.value()));
  }
  return entries;
}

}  // namespace mu::initrd
