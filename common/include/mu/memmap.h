// Building the kernel's memory map from firmware and loader regions (no allocation; usable in
// muboot).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mu/bootinfo.h"

namespace mu {

// UEFI 2.10 §7.2 EFI_MEMORY_TYPE values.
enum class EfiMemoryType : uint32_t {
  Reserved = 0,
  LoaderCode = 1,
  LoaderData = 2,
  BootServicesCode = 3,
  BootServicesData = 4,
  RuntimeServicesCode = 5,
  RuntimeServicesData = 6,
  Conventional = 7,
  Unusable = 8,
  AcpiReclaim = 9,
  AcpiNvs = 10,
  MemoryMappedIo = 11,
  MemoryMappedIoPortSpace = 12,
  PalCode = 13,
  Persistent = 14,
  Unaccepted = 15,
};

// Kernel type for a firmware type; unknown firmware types are Reserved.
[[nodiscard]] MemoryType memory_type_from_efi(uint32_t efi_type);

// When regions overlap the type with the higher rank wins. Loader-owned types (kernel image,
// initrd, page tables, BootInfo, framebuffer) outrank firmware types; among firmware types the
// more restrictive wins (Usable lowest, Reserved highest).
[[nodiscard]] int memory_type_rank(MemoryType type);

enum class MemoryMapError : uint32_t {
  None = 0,
  TooManyRegions,   // output capacity exceeded
  ScratchTooSmall,  // scratch must hold 2 * in_count uint64_t
};

// Turns `in` (any order, may overlap, may touch) into `out`: sorted by base, non-overlapping,
// page-granular (bases rounded down, ends rounded up; except Usable and BootReclaimable, which
// round inward so a partial page is never handed out), zero-length regions dropped and adjacent
// regions of the same type merged. Overlaps resolve by memory_type_rank.
// `scratch` must have room for 2 * in_count values. On error `*out_count` is 0.
[[nodiscard]] MemoryMapError build_memory_map(const MemoryRegion* in, size_t in_count,
                                              uint64_t* scratch, size_t scratch_count,
                                              MemoryRegion* out, size_t out_capacity,
                                              size_t* out_count);

}  // namespace mu
