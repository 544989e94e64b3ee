// Validating the kernel ELF and placing its segments in one physically contiguous block.
#include "elf_loader.h"

namespace muboot {
namespace {

constexpr uint64_t kLargeAlign = 2ULL << 20;
constexpr uint64_t kMaxKernelSize = 1ULL << 30;  // the -2 GiB window holds at most this much

// 2 MiB alignment lets the kernel later map its own image with large pages. UEFI AllocatePages
// only promises 4 KiB alignment (UEFI 2.10 §7.2), so over-allocate and give back head and tail.
Status allocate_block(uint64_t pages, const char* path, uint64_t* phys) {
  EFI_BOOT_SERVICES* bs = ST->BootServices;
  const uint64_t extra = kLargeAlign / kPage - 1;
  EFI_PHYSICAL_ADDRESS base = 0;
  if (!EFI_ERROR(bs->AllocatePages(AllocateAnyPages, EfiLoaderData, pages + extra, &base))) {
    const uint64_t aligned = (base + kLargeAlign - 1) & ~(kLargeAlign - 1);
    const uint64_t head = (aligned - base) / kPage;
    free_pages(base, head);
    free_pages(aligned + pages * kPage, extra - head);
    *phys = aligned;
    return Status::ok();
  }
  const EFI_STATUS status = bs->AllocatePages(AllocateAnyPages, EfiLoaderData, pages, &base);
  if (EFI_ERROR(status))
    return Status::fail(path, "not enough memory for the kernel image", status);
  *phys = base;
  return Status::ok();
}

}  // namespace

Status load_kernel(const LoadedFile& file, const char* path, KernelImage* out) {
  KernelImage image;
  const auto* data = reinterpret_cast<const uint8_t*>(file.base);
  const mu::ElfError error = mu::validate_elf(data, file.size, mu::ElfTarget::Kernel, &image.elf);
  if (error != mu::ElfError::None) return Status::fail(path, mu::elf_error_string(error));

  // The kernel gets W^X from its first instruction on: a W+X segment is a build mistake.
  for (size_t i = 0; i < image.elf.segment_count; ++i) {
    const uint32_t wx = mu::kElfSegmentWrite | mu::kElfSegmentExec;
    if ((image.elf.segments[i].flags & wx) == wx) {
      return Status::fail(path, "a kernel segment is both writable and executable");
    }
  }
  image.size = image.elf.highest_end - image.elf.lowest_vaddr;
  if (image.size == 0 || image.size > kMaxKernelSize) {
    return Status::fail(path, "kernel image spans more than 1 GiB");
  }
  MU_TRY(allocate_block(image.size / kPage, path, &image.phys_base));

  auto* block = reinterpret_cast<uint8_t*>(image.phys_base);
  zero_bytes(block, image.size);  // .bss and the gaps between segments start out zero
  for (size_t i = 0; i < image.elf.segment_count; ++i) {
    const mu::ElfSegment& segment = image.elf.segments[i];
    copy_bytes(block + (segment.vaddr - image.elf.lowest_vaddr), data + segment.offset,
               segment.filesz);
  }
  *out = image;
  return Status::ok();
}

}  // namespace muboot
