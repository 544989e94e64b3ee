// The kernel's first page tables, built with mu::PageTableBuilder over UEFI-allocated pages.
#include "page_tables.h"

#include "cpu.h"
#include "mu/bootinfo.h"
#include "mu/elf.h"
#include "mu/paging.h"
#include "uefi.h"

namespace muboot {
namespace {

// Backs table pages with boot-services pages. UEFI identity-maps all memory (UEFI 2.10 §2.3.4),
// so a table's physical address is also where this code can write it.
class UefiTableMemory final : public mu::PageTableMemory {
 public:
  uint64_t alloc_table() override {
    if (next_ == chunk_end_) {
      if (count_ == kMaxTableChunks) return 0;
      uint64_t base = 0;
      if (EFI_ERROR(allocate_zeroed_pages(kTableChunkPages, &base))) return 0;
      ranges_[count_++] = PhysRange{base, kTableChunkPages * kPage};
      next_ = base;
      chunk_end_ = base + kTableChunkPages * kPage;
    }
    const uint64_t page = next_;
    next_ += kPage;
    return page;
  }

  uint64_t* table_at(uint64_t phys) override { return reinterpret_cast<uint64_t*>(phys); }

  void export_ranges(BootPageTables* out) const {
    out->range_count = count_;
    for (size_t i = 0; i < count_; ++i) out->ranges[i] = ranges_[i];
  }

 private:
  PhysRange ranges_[kMaxTableChunks] = {};
  size_t count_ = 0;
  uint64_t next_ = 0;
  uint64_t chunk_end_ = 0;
};

Status paging_failure(const char* what, mu::PagingError error) {
  return Status::fail(what, mu::paging_error_string(error));
}

// Intel SDM vol 3A §4.6: R, RW+NX or RX from the segment flags (load_kernel refuses W+X).
// NX only takes effect with EFER.NXE, which the jump code sets before loading CR3.
mu::PagePerms segment_perms(uint32_t flags) {
  mu::PagePerms perms;
  perms.write = (flags & mu::kElfSegmentWrite) != 0;
  perms.execute = (flags & mu::kElfSegmentExec) != 0;
  return perms;
}

}  // namespace

Status build_page_tables(const PageTableInputs& inputs, BootPageTables* out) {
  UefiTableMemory memory;
  const uint64_t root = memory.alloc_table();
  if (root == 0) return Status::fail("page tables", "out of memory");
  mu::PageTableBuilder builder(memory, root);
  const bool huge = cpu::has_1gib_pages();

  Status result = Status::ok();
  mu::PagingError error = mu::PagingError::None;
  for (size_t i = 0; i < inputs.hhdm_count && error == mu::PagingError::None; ++i) {
    const PhysRange& r = inputs.hhdm[i];
    mu::PagePerms perms;
    perms.write = true;
    error = builder.map(mu::kHhdmBase + r.base, r.base, r.size, perms, true, huge);
    if (error != mu::PagingError::None) result = paging_failure("page tables (HHDM)", error);
  }

  const KernelImage& kernel = *inputs.kernel;
  for (size_t i = 0; i < kernel.elf.segment_count && result.is_ok(); ++i) {
    const mu::ElfSegment& segment = kernel.elf.segments[i];
    const uint64_t start = segment.vaddr & ~(kPage - 1);
    const uint64_t end = (segment.vaddr + segment.memsz + kPage - 1) & ~(kPage - 1);
    const uint64_t phys = kernel.phys_base + (start - kernel.elf.lowest_vaddr);
    // 4 KiB pages only: segments need not be 2 MiB aligned and permissions differ per segment.
    error = builder.map(start, phys, end - start, segment_perms(segment.flags), false, false);
    if (error != mu::PagingError::None) result = paging_failure("page tables (kernel)", error);
  }

  if (result.is_ok()) {
    mu::PagePerms perms;
    perms.execute = true;
    error = builder.map(inputs.trampoline_base, inputs.trampoline_base, inputs.trampoline_size,
                        perms, false, false);
    if (error != mu::PagingError::None) result = paging_failure("page tables (trampoline)", error);
  }

  memory.export_ranges(out);
  if (!result.is_ok()) {
    for (size_t i = 0; i < out->range_count; ++i) {
      free_pages(out->ranges[i].base, out->ranges[i].size / kPage);
    }
    out->range_count = 0;
    return result;
  }
  out->root = root;
  out->huge_pages = huge;
  return Status::ok();
}

}  // namespace muboot
