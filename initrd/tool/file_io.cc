// Whole-file reads and atomic writes for the mu-initrd tool.
#include "file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mu::initrd {

namespace {

std::string errno_text(const std::string& what, const std::string& path) {
  return path + ": " + what + ": " + std::strerror(errno);
}

}  // namespace

Result<std::vector<uint8_t>> read_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Error{errno_text("cannot open", path)};
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    Error error{errno_text("cannot stat", path)};
    ::close(fd);
    return error;
  }
  if (!S_ISREG(info.st_mode)) {
    ::close(fd);
    return Error{path + ": not a regular file"};
  }
  std::vector<uint8_t> bytes;
  bytes.reserve(static_cast<size_t>(info.st_size));
  uint8_t chunk[65536];
  for (;;) {
    ssize_t got = ::read(fd, chunk, sizeof chunk);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      Error error{errno_text("read error", path)};
      ::close(fd);
      return error;
    }
    if (got == 0) {
      break;
    }
    bytes.insert(bytes.end(), chunk, chunk + got);
  }
  ::close(fd);
  return bytes;
}

Status write_all(int fd, std::span<const uint8_t> bytes, const std::string& name) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t wrote = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (wrote < 0) {
      if (errno == EINTR) {
        continue;
      }
      return Error{errno_text("write error", name)};
    }
    done += static_cast<size_t>(wrote);
  }
  return Ok{};
}

Status write_file_atomically(const std::string& path, std::span<const uint8_t> bytes,
                             unsigned mode) {
  std::string temp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) {
    return Error{errno_text("cannot create", temp)};
  }
  Status written = write_all(fd, bytes, temp);
  if (!written.ok()) {
    ::close(fd);
    ::unlink(temp.c_str());
    return written;
  }
  if (::close(fd) != 0) {
    Error error{errno_text("close failed", temp)};
    ::unlink(temp.c_str());
    return error;
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    Error error{errno_text("cannot rename to " + path, temp)};
    ::unlink(temp.c_str());
    return error;
  }
  return Ok{};
}

}  // namespace mu::initrd
