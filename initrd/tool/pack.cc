// `mu-initrd pack`: manifest -> reproducible cpio newc archive (+ optional depfile).
#include <string_view>

#include "commands.h"
#include "cpio_writer.h"
#include "file_io.h"

namespace mu::initrd {

namespace {

std::string directory_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) {
    return ".";
  }
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Make rules need spaces and '#' escaped.
std::string escape_for_make(std::string_view path) {
  std::string out;
  for (char c : path) {
    if (c == ' ' || c == '#' || c == '\\') {
      out += '\\';
    } else if (c == '$') {
      out += '$';
    }
    out += c;
  }
  return out;
}

Status write_depfile(const PackOptions& options, const std::vector<ManifestEntry>& entries) {
  std::string text = escape_for_make(options.output_path) + ":";
  text += " \\\n  " + escape_for_make(options.manifest_path);
  for (const ManifestEntry& entry : entries) {
    if (entry.kind == EntryKind::File) {
      text += " \\\n  " + escape_for_make(entry.source_path);
    }
  }
  text += "\n";
  std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(text.data()), text.size());
  return write_file_atomically(options.depfile_path, bytes);
}

}  // namespace

Status pack(const PackOptions& options) {
  Result<std::vector<uint8_t>> manifest = read_file(options.manifest_path);
  if (!manifest.ok()) {
    return manifest.error();
  }
  std::string_view text(reinterpret_cast<const char*>(manifest.value().data()),
                        manifest.value().size());
  Result<std::vector<ManifestEntry>> entries = parse_manifest(
      text, options.manifest_path, directory_of(options.manifest_path), options.variables);
  if (!entries.ok()) {
    return entries.error();
  }
  CpioWriter writer;
  for (const ManifestEntry& entry : entries.value()) {
    auto at_line = [&](const std::string& reason) {
      return Error{options.manifest_path + ":" + std::to_string(entry.line) + ": " + reason};
    };
    if (entry.kind == EntryKind::Directory) {
      Status added = writer.add_directory(entry.archive_path, entry.permissions);
      if (!added.ok()) {
        return at_line(added.error().message);
      }
      continue;
    }
    Result<std::vector<uint8_t>> contents = read_file(entry.source_path);
    if (!contents.ok()) {
      return at_line(contents.error().message);
    }
    Status added = writer.add_file(entry.archive_path, entry.permissions, contents.value());
    if (!added.ok()) {
      return at_line(added.error().message);
    }
  }
  std::vector<uint8_t> archive = writer.finish();
  MU_TRY_STATUS(write_file_atomically(options.output_path, archive));
  if (!options.depfile_path.empty()) {
    MU_TRY_STATUS(write_depfile(options, entries.value()));
  }
  return Ok{};
}

}  // namespace mu::initrd
