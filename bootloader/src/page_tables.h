// The kernel's first page tables: HHDM, the kernel image at its link address, the trampoline.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "elf_loader.h"
#include "hhdm_plan.h"
#include "status.h"

namespace muboot {

inline constexpr size_t kMaxTableChunks = 64;
inline constexpr uint64_t kTableChunkPages = 16;  // tables are carved from 64 KiB allocations

struct PageTableInputs {
  const PhysRange* hhdm = nullptr;  // physical ranges to map at mu::kHhdmBase + phys
  size_t hhdm_count = 0;
  const KernelImage* kernel = nullptr;
  uint64_t trampoline_base = 0;  // page-aligned physical = virtual address of the jump code
  uint64_t trampoline_size = 0;  // bytes, a page multiple
};

struct BootPageTables {
  uint64_t root = 0;  // physical address of the PML4, the value for CR3
  bool huge_pages = false;
  PhysRange ranges[kMaxTableChunks] = {};  // every page allocated for tables
  size_t range_count = 0;
};

// Builds the tables described in docs/boot-protocol.md "Page tables". All table pages are
// EfiLoaderData; their ranges are reported so the memory map can type them BootPageTables.
[[nodiscard]] Status build_page_tables(const PageTableInputs& inputs, BootPageTables* out);

}  // namespace muboot
