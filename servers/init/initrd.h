// The initrd (a cpio newc archive the kernel maps read-only into init): files by path.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace init {

void initrd_init(uint64_t base, uint64_t size);

struct InitrdFile {
  const char* path;  // without a leading '/', NUL-terminated (points into the archive)
  size_t path_length;
  const uint8_t* data;
  uint64_t size;
  uint32_t mode;
};

// Looks `path` up ("/sbin/console" or "sbin/console"). False when there is no such entry.
bool initrd_find(const char* path, size_t path_length, InitrdFile* out);
// Entry `index` in archive order (the "." root entry skipped). False past the last.
bool initrd_entry(uint64_t index, InitrdFile* out);

}  // namespace init
