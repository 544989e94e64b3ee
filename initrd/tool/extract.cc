// `mu-initrd extract`: unpacks an archive safely (no absolute paths, no '..', no symlink
// following).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <utility>

#include "archive_path.h"
#include "archive_reader.h"
#include "commands.h"
#include "file_io.h"

namespace mu::initrd {

namespace {

// Closes a descriptor when it goes out of scope.
class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    reset(std::exchange(other.fd_, -1));
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  [[nodiscard]] int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) {
      ::close(fd_);
    }
    fd_ = fd;
  }

 private:
  int fd_;
};

struct PlannedEntry {
  std::string path;  // normalised, relative to the destination
  const CpioEntry* entry;
};

std::string errno_text(const std::string& what, const std::string& path) {
  return printable_path(path) + ": " + what + ": " + std::strerror(errno);
}

// Opens (creating as needed) directory `path` below `root`, never following a symlink, so an
// existing link in the destination cannot redirect the extraction elsewhere.
Result<UniqueFd> open_directory(int root, std::string_view path) {
  UniqueFd current(::dup(root));
  if (current.get() < 0) {
    return Error{errno_text("dup failed", ".")};
  }
  size_t start = 0;
  while (start < path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      slash = path.size();
    }
    std::string component(path.substr(start, slash - start));
    std::string so_far(path.substr(0, slash));
    start = slash + 1;
    int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    int next = ::openat(current.get(), component.c_str(), flags);
    if (next < 0 && errno == ENOENT) {
      if (::mkdirat(current.get(), component.c_str(), 0755) != 0 && errno != EEXIST) {
        return Error{errno_text("cannot create directory", so_far)};
      }
      next = ::openat(current.get(), component.c_str(), flags);
    }
    if (next < 0) {
      return Error{errno_text("cannot open directory (symlinks are not followed)", so_far)};
    }
    current.reset(next);
  }
  return current;
}

Status write_entry_file(int root, const PlannedEntry& planned) {
  std::string_view parent = parent_path(planned.path);
  Result<UniqueFd> directory = open_directory(root, parent);
  if (!directory.ok()) {
    return directory.error();
  }
  std::string leaf = parent.empty() ? planned.path : planned.path.substr(parent.size() + 1);
  // Permission bits only: set-id bits from an archive are not trusted.
  auto mode = static_cast<mode_t>(planned.entry->mode & 0777);
  UniqueFd file(::openat(directory.value().get(), leaf.c_str(),
                         O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode));
  if (file.get() < 0) {
    return Error{errno_text("cannot create file", planned.path)};
  }
  std::span<const uint8_t> data(planned.entry->data, static_cast<size_t>(planned.entry->size));
  MU_TRY_STATUS(write_all(file.get(), data, planned.path));
  if (::fchmod(file.get(), mode) != 0) {
    return Error{errno_text("cannot set mode", planned.path)};
  }
  return Ok{};
}

}  // namespace

Status extract_archive(const std::string& archive_name, std::span<const uint8_t> archive,
                       const std::string& destination, std::ostream& warnings) {
  Result<std::vector<CpioEntry>> entries = read_entries(archive_name, archive);
  if (!entries.ok()) {
    return entries.error();
  }
  // Check every name first, so a hostile archive is refused before anything is written.
  std::vector<PlannedEntry> plan;
  for (const CpioEntry& entry : entries.value()) {
    std::string_view name(entry.name, entry.name_length);
    Result<std::string> path = normalize_archive_path(name, LeadingSlash::Refuse);
    if (!path.ok()) {
      return Error{archive_name + ": unsafe entry: " + path.error().message};
    }
    uint32_t type = entry.mode & kCpioModeTypeMask;
    if (type != kCpioModeRegular && type != kCpioModeDirectory) {
      warnings << "mu-initrd: skipping '" << printable_path(name)
               << "': only regular files and directories are extracted\n";
      continue;
    }
    if (path.value().empty()) {
      continue;  // "." is the destination itself
    }
    plan.push_back({std::move(path.value()), &entry});
  }

  std::error_code ignored;
  std::filesystem::create_directories(destination, ignored);
  UniqueFd root(::open(destination.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (root.get() < 0) {
    return Error{errno_text("cannot open destination", destination)};
  }
  for (const PlannedEntry& planned : plan) {
    if ((planned.entry->mode & kCpioModeTypeMask) == kCpioModeDirectory) {
      Result<UniqueFd> directory = open_directory(root.get(), planned.path);
      if (!directory.ok()) {
        return directory.error();
      }
    } else {
      MU_TRY_STATUS(write_entry_file(root.get(), planned));
    }
  }
  // Directory modes last, so a read-only directory does not block writing its contents.
  for (auto it = plan.rbegin(); it != plan.rend(); ++it) {
    if ((it->entry->mode & kCpioModeTypeMask) != kCpioModeDirectory) {
      continue;
    }
    Result<UniqueFd> directory = open_directory(root.get(), it->path);
    if (!directory.ok()) {
      return directory.error();
    }
    if (::fchmod(directory.value().get(), static_cast<mode_t>(it->entry->mode & 0777)) != 0) {
      return Error{errno_text("cannot set mode", it->path)};
    }
  }
  return Ok{};
}

}  // namespace mu::initrd
