// Validating the kernel ELF and placing its segments in one physically contiguous block.
#pragma once

#include "file_loader.h"
#include "mu/elf.h"
#include "status.h"

namespace muboot {

struct KernelImage {
  mu::ElfImage elf = {};
  uint64_t phys_base = 0;  // physical address of elf.lowest_vaddr
  uint64_t size = 0;       // elf.highest_end - elf.lowest_vaddr (page multiple)
};

// Validates `file` with mu::validate_elf(ElfTarget::Kernel) and copies its segments into a
// zeroed block (2 MiB-aligned when possible) laid out exactly like the virtual image.
[[nodiscard]] Status load_kernel(const LoadedFile& file, const char* path, KernelImage* out);

}  // namespace muboot
