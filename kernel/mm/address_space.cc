// User address spaces: a PML4 per space whose kernel half is copied from the kernel's tables.
#include "mm/memory.h"
#include "mm/mm_internal.h"
#include "mm/user_range.h"

namespace kernel::mm {
namespace {

constexpr size_t kKernelHalfFirstEntry = 256;

// [virt, virt+size) inside the mappable user half: never the first 64 KiB (NULL dereferences
// must fault) and never the last page, so SYSRET cannot return to a non-canonical RIP (see
// mm/user_range.h).
bool in_user_half(uint64_t virt, uint64_t size) {
  const uint64_t limit = kUserEnd - mu::kPageSize;
  return virt >= kUserFloor && virt < limit && size <= limit - virt;
}

}  // namespace

bool AddressSpace::create(AddressSpace* out) {
  const uint64_t root = alloc_frame();  // zeroed: the user half starts empty
  if (root == 0) return false;
  const uint64_t* kernel = table_memory().table_at(kernel_root());
  uint64_t* table = table_memory().table_at(root);
  for (size_t i = kKernelHalfFirstEntry; i < 512; ++i) table[i] = kernel[i];
  out->root_ = root;
  return true;
}

void AddressSpace::destroy() {
  if (root_ == 0) return;
  // Precondition: not loaded on any CPU. Keep this one safe if it is the active space anyway.
  if (read_page_table_root() == root_) activate_kernel_space();
  mu::PageTableBuilder builder(table_memory(), root_);
  builder.free_tables(0, kKernelHalfFirstEntry);
  free_frame(root_);
  root_ = 0;
}

mu::PagingError AddressSpace::map(uint64_t virt, uint64_t phys, uint64_t size,
                                  mu::PagePerms perms) {
  if (!in_user_half(virt, size)) return mu::PagingError::NotUserRange;
  perms.user = true;
  perms.global = false;
  mu::PageTableBuilder builder(table_memory(), root_);
  // A new mapping replaces no translation, so nothing can be stale in the TLB (Intel SDM vol
  // 3A §4.10.4.3: not-present entries are not cached).
  return builder.map(virt, phys, size, perms, true, false);
}

mu::PagingError AddressSpace::unmap(uint64_t virt, uint64_t size) {
  if (!in_user_half(virt, size)) return mu::PagingError::NotUserRange;
  mu::PageTableBuilder builder(table_memory(), root_);
  mu::TlbFlushList flush;
  const mu::PagingError error = builder.unmap(virt, size, &flush);
  if (error == mu::PagingError::None) flush_tlb(root_, flush);
  return error;
}

mu::PagingError AddressSpace::protect(uint64_t virt, uint64_t size, mu::PagePerms perms) {
  if (!in_user_half(virt, size)) return mu::PagingError::NotUserRange;
  perms.user = true;
  perms.global = false;
  mu::PageTableBuilder builder(table_memory(), root_);
  mu::TlbFlushList flush;
  const mu::PagingError error = builder.protect(virt, size, perms, &flush);
  if (error == mu::PagingError::None) flush_tlb(root_, flush);
  return error;
}

mu::PageTableBuilder::Translation AddressSpace::translate(uint64_t virt) const {
  if (virt >= kUserEnd) return {};
  return mu::PageTableBuilder(table_memory(), root_).translate(virt);
}

void AddressSpace::activate() const { load_page_table_root(root_); }

}  // namespace kernel::mm
