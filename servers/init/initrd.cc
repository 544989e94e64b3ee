// The initrd's files (initrd.h), read with the shared cpio reader.
#include "initrd.h"

#include "mu/cpio.h"

namespace init {
namespace {

const uint8_t* g_base;
uint64_t g_size;

bool skip(const mu::CpioEntry& e) { return e.name_length == 1 && e.name[0] == '.'; }

InitrdFile to_file(const mu::CpioEntry& e) {
  const bool dot_slash = e.name_length >= 2 && e.name[0] == '.' && e.name[1] == '/';
  const size_t strip = dot_slash ? 2 : 0;
  return InitrdFile{e.name + strip, e.name_length - strip, e.data, e.size, e.mode};
}

}  // namespace

void initrd_init(uint64_t base, uint64_t size) {
  g_base = reinterpret_cast<const uint8_t*>(base);
  g_size = size;
}

bool initrd_find(const char* path, size_t path_length, InitrdFile* out) {
  while (path_length > 0 && path[0] == '/') {
    ++path;
    --path_length;
  }
  mu::CpioReader reader(g_base, g_size);
  mu::CpioEntry e{};
  while (reader.next(&e) == mu::CpioError::None) {
    if (skip(e)) continue;
    const InitrdFile f = to_file(e);
    if (f.path_length != path_length) continue;
    bool same = true;
    for (size_t i = 0; i < path_length && same; ++i) same = f.path[i] == path[i];
    if (same) {
      *out = f;
      return true;
    }
  }
  return false;
}

bool initrd_entry(uint64_t index, InitrdFile* out) {
  mu::CpioReader reader(g_base, g_size);
  mu::CpioEntry e{};
  uint64_t i = 0;
  while (reader.next(&e) == mu::CpioError::None) {
    if (skip(e)) continue;
    if (i++ == index) {
      *out = to_file(e);
      return true;
    }
  }
  return false;
}

}  // namespace init
