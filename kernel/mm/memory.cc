// mm::init and mm::reclaim_boot_memory: the order in which the memory manager comes up.
#include "mm/memory.h"

#include "mm/mm_internal.h"
#include "mm/user_copy.h"

namespace kernel::mm {

void init(const mu::BootInfo& info) {
  init_frames(info);
  init_kernel_space(info);
  uint64_t cr4;
  asm volatile("mov %%cr4, %0" : "=r"(cr4));
  set_user_copy_smap((cr4 & (1ULL << 21)) != 0);  // CR4.SMAP, Intel SDM vol 3A §2.5
}

uint64_t reclaim_boot_memory() { return reclaim_frames(); }

}  // namespace kernel::mm
