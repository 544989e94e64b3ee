// The final UEFI memory map, converted to BootInfo regions, and ExitBootServices with retries.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mu/bootinfo.h"
#include "page_tables.h"
#include "status.h"
#include "uefi.h"

namespace muboot {

inline constexpr size_t kMaxOverlays = 8 + kMaxTableChunks;
inline constexpr size_t kMapHeadroomDescriptors = 32;

// Loader-owned ranges laid over the firmware map (they outrank firmware types, memmap.h).
struct Overlays {
  mu::MemoryRegion regions[kMaxOverlays] = {};
  size_t count = 0;

  // Adds [base, base+size) as `type`; empty ranges are skipped. False when full.
  [[nodiscard]] bool add(uint64_t base, uint64_t size, mu::MemoryType type);
};

// Buffers for the final map, all allocated before it is read: the raw descriptors (with
// headroom, since allocating them changes the map), the converted input array and the scratch
// space build_memory_map needs. One EfiLoaderData allocation.
struct MemoryMapWorkspace {
  uint64_t phys = 0;
  uint64_t pages = 0;
  uint8_t* descriptors = nullptr;
  uint64_t descriptors_capacity = 0;  // bytes
  mu::MemoryRegion* input = nullptr;
  size_t input_capacity = 0;
  uint64_t* scratch = nullptr;
  size_t scratch_capacity = 0;
};

// Makes sure `ws` holds the current map plus kMapHeadroomDescriptors descriptors and
// kMaxOverlays overlays; (re)allocates only when it does not.
[[nodiscard]] Status prepare_workspace(MemoryMapWorkspace* ws);

// GetMemoryMap into `ws`, convert with mu::memory_type_from_efi, lay `overlays` on top and build
// the sorted region list into `out`. Calls no other boot service and prints nothing, so it is
// safe between GetMemoryMap and ExitBootServices.
[[nodiscard]] Status read_memory_map(MemoryMapWorkspace& ws, const Overlays& overlays,
                                     mu::MemoryRegion* out, size_t capacity, size_t* out_count,
                                     UINTN* map_key);

// Reads the final map into info->regions, records info->exit_tsc and calls ExitBootServices,
// retrying with a fresh map on EFI_INVALID_PARAMETER (UEFI 2.10 §7.4.6). On failure
// `*firmware_gone` says whether boot services may already be shut down (then only COM1 works).
[[nodiscard]] Status exit_boot_services(EFI_HANDLE image, MemoryMapWorkspace& ws,
                                        const Overlays& overlays, mu::BootInfo* info,
                                        bool* firmware_gone);

}  // namespace muboot
