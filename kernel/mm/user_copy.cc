// copy_from_user/copy_to_user: range check first, then the fault-tolerant copy in user_copy.S.
#include "mm/user_copy.h"

#include "mm/memory.h"
#include "mm/user_range.h"

extern "C" bool user_copy_raw(void* dst, const void* src, size_t len);
extern "C" bool user_probe_read_no_stac(uint64_t addr);
extern "C" bool kernel_probe_write(uint64_t addr);
extern "C" const uint64_t user_copy_fixups[], user_copy_fixups_end[];
extern "C" const uint64_t kernel_probe_fixups[], kernel_probe_fixups_end[];
extern "C" bool kernel_probe_exec(uint64_t addr);
extern "C" const uint64_t kernel_exec_probe_returns[], kernel_exec_probe_returns_end[];
extern "C" uint8_t user_copy_smap;

namespace kernel::mm {

namespace {

// The fix-up tables are pairs (faulting instruction, resume address).
uint64_t find_fixup(const uint64_t* begin, const uint64_t* end, uint64_t rip) {
  for (const uint64_t* entry = begin; entry < end; entry += 2) {
    if (entry[0] == rip) return entry[1];
  }
  return 0;
}

}  // namespace

bool fix_kernel_page_fault(uint64_t fault_address, KernelFaultState* state) {
  uint64_t fixup = 0;
  if (fault_address < kUserEnd) {
    fixup = find_fixup(user_copy_fixups, user_copy_fixups_end, state->rip);
  }
  if (fixup == 0) fixup = find_fixup(kernel_probe_fixups, kernel_probe_fixups_end, state->rip);
  if (fixup != 0) {
    state->rip = fixup;
    return true;
  }
  if (state->rip == fault_address && fault_address < kUserEnd) {
    // The fetch faulted before the callee ran, so the stack top is the call's return address
    // (and on the kernel stack, which is mapped since the call just wrote it).
    const uint64_t return_address = *reinterpret_cast<const uint64_t*>(state->rsp);
    fixup = find_fixup(kernel_exec_probe_returns, kernel_exec_probe_returns_end, return_address);
    if (fixup != 0) {
      state->rip = fixup;
      state->rsp += 8;  // pop the return address, as ret would have
      return true;
    }
  }
  return false;
}

void set_user_copy_smap(bool enabled) { user_copy_smap = enabled ? 1 : 0; }

bool probe_user_read_without_stac(uint64_t addr) { return user_probe_read_no_stac(addr); }
bool probe_kernel_write(uint64_t addr) { return kernel_probe_write(addr); }
bool probe_user_exec(uint64_t addr) { return kernel_probe_exec(addr); }

bool copy_from_user(void* dst, uint64_t user_src, size_t len) {
  if (check_user_range(user_src, len) != UserRangeStatus::Ok) return false;
  if (len == 0) return true;
  return user_copy_raw(dst, reinterpret_cast<const void*>(user_src), len);
}

bool copy_to_user(uint64_t user_dst, const void* src, size_t len) {
  if (check_user_range(user_dst, len) != UserRangeStatus::Ok) return false;
  if (len == 0) return true;
  return user_copy_raw(reinterpret_cast<void*>(user_dst), src, len);
}

}  // namespace kernel::mm
