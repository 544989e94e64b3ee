// copy_from_user/copy_to_user: range check first, then the fault-tolerant copy in user_copy.S.
#include "mm/user_copy.h"

#include "mm/memory.h"
#include "mm/user_range.h"

extern "C" bool user_copy_raw(void* dst, const void* src, size_t len);
extern "C" bool user_probe_read_no_stac(uint64_t addr);
extern "C" const uint64_t user_copy_fixups[], user_copy_fixups_end[];
extern "C" uint8_t user_copy_smap;

namespace kernel::mm {

uint64_t user_copy_fixup(uint64_t rip) {
  for (const uint64_t* entry = user_copy_fixups; entry < user_copy_fixups_end; entry += 2) {
    if (entry[0] == rip) return entry[1];
  }
  return 0;
}

void set_user_copy_smap(bool enabled) { user_copy_smap = enabled ? 1 : 0; }

bool probe_user_read_without_stac(uint64_t addr) { return user_probe_read_no_stac(addr); }

bool copy_from_user(void* dst, uint64_t user_src, size_t len) {
  if (mu::check_user_range(user_src, len) != mu::UserRangeStatus::Ok) return false;
  if (len == 0) return true;
  return user_copy_raw(dst, reinterpret_cast<const void*>(user_src), len);
}

bool copy_to_user(uint64_t user_dst, const void* src, size_t len) {
  if (mu::check_user_range(user_dst, len) != mu::UserRangeStatus::Ok) return false;
  if (len == 0) return true;
  return user_copy_raw(reinterpret_cast<void*>(user_dst), src, len);
}

}  // namespace kernel::mm
