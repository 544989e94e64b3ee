// The final UEFI memory map, converted to BootInfo regions, and ExitBootServices with retries.
#include "memory_map.h"

#include "cpu.h"
#include "mu/memmap.h"

namespace muboot {
namespace {

constexpr int kExitAttempts = 4;

// UEFI 2.10 §7.2.3: with a zero-sized buffer GetMemoryMap reports the size it needs and the
// size of one descriptor (which may exceed sizeof(EFI_MEMORY_DESCRIPTOR)).
Status probe_map(UINTN* map_size, UINTN* descriptor_size) {
  UINTN size = 0;
  UINTN key = 0;
  UINT32 version = 0;
  const EFI_STATUS status =
      ST->BootServices->GetMemoryMap(&size, nullptr, &key, descriptor_size, &version);
  if (status != EFI_BUFFER_TOO_SMALL || *descriptor_size == 0) {
    return Status::fail("memory map", "GetMemoryMap failed", status);
  }
  *map_size = size;
  return Status::ok();
}

}  // namespace

bool Overlays::add(uint64_t base, uint64_t size, mu::MemoryType type) {
  if (size == 0) return true;
  if (count == kMaxOverlays) return false;
  regions[count++] = mu::MemoryRegion{base, size, type, 0};
  return true;
}

Status prepare_workspace(MemoryMapWorkspace* ws) {
  UINTN map_size = 0;
  UINTN descriptor_size = 0;
  MU_TRY(probe_map(&map_size, &descriptor_size));
  const uint64_t descriptors = map_size / descriptor_size + kMapHeadroomDescriptors;
  // Half the headroom may already be used up by earlier allocations before we grow.
  if (ws->pages != 0 &&
      map_size + kMapHeadroomDescriptors / 2 * descriptor_size <= ws->descriptors_capacity) {
    return Status::ok();
  }
  free_pages(ws->phys, ws->pages);
  *ws = MemoryMapWorkspace{};

  const uint64_t descriptor_bytes = (descriptors * descriptor_size + 7) & ~7ULL;
  const uint64_t input_count = descriptors + kMaxOverlays;
  const uint64_t scratch_count = 2 * input_count;  // build_memory_map's requirement
  const uint64_t total =
      descriptor_bytes + input_count * sizeof(mu::MemoryRegion) + scratch_count * sizeof(uint64_t);
  uint64_t phys = 0;
  const EFI_STATUS status = allocate_zeroed_pages(pages_for(total), &phys);
  if (EFI_ERROR(status)) return Status::fail("memory map", "no memory for the map buffer", status);

  auto* bytes = reinterpret_cast<uint8_t*>(phys);
  ws->phys = phys;
  ws->pages = pages_for(total);
  ws->descriptors = bytes;
  ws->descriptors_capacity = descriptor_bytes;
  ws->input = reinterpret_cast<mu::MemoryRegion*>(bytes + descriptor_bytes);
  ws->input_capacity = input_count;
  ws->scratch = reinterpret_cast<uint64_t*>(bytes + descriptor_bytes +
                                            input_count * sizeof(mu::MemoryRegion));
  ws->scratch_capacity = scratch_count;
  return Status::ok();
}

Status read_memory_map(MemoryMapWorkspace& ws, const Overlays& overlays, mu::MemoryRegion* out,
                       size_t capacity, size_t* out_count, UINTN* map_key) {
  UINTN size = ws.descriptors_capacity;
  UINTN descriptor_size = 0;
  UINT32 version = 0;
  const EFI_STATUS status = ST->BootServices->GetMemoryMap(
      &size, reinterpret_cast<EFI_MEMORY_DESCRIPTOR*>(ws.descriptors), map_key, &descriptor_size,
      &version);
  if (EFI_ERROR(status)) return Status::fail("memory map", "GetMemoryMap failed", status);

  size_t count = 0;
  for (UINTN offset = 0; offset + descriptor_size <= size; offset += descriptor_size) {
    const auto* d = reinterpret_cast<const EFI_MEMORY_DESCRIPTOR*>(ws.descriptors + offset);
    if (d->NumberOfPages == 0) continue;
    if (count == ws.input_capacity) return Status::fail("memory map", "too many descriptors");
    ws.input[count++] = mu::MemoryRegion{d->PhysicalStart, d->NumberOfPages * kPage,
                                         mu::memory_type_from_efi(d->Type), 0};
  }
  for (size_t i = 0; i < overlays.count; ++i) {
    if (count == ws.input_capacity) return Status::fail("memory map", "too many regions");
    ws.input[count++] = overlays.regions[i];
  }
  const mu::MemoryMapError error = mu::build_memory_map(
      ws.input, count, ws.scratch, ws.scratch_capacity, out, capacity, out_count);
  if (error != mu::MemoryMapError::None) {
    return Status::fail("memory map", error == mu::MemoryMapError::TooManyRegions
                                          ? "more regions than BootInfo can hold"
                                          : "internal error: scratch buffer too small");
  }
  return Status::ok();
}

Status exit_boot_services(EFI_HANDLE image, MemoryMapWorkspace& ws, const Overlays& overlays,
                          mu::BootInfo* info, bool* firmware_gone) {
  *firmware_gone = false;
  EFI_STATUS status = EFI_SUCCESS;
  for (int attempt = 0; attempt < kExitAttempts; ++attempt) {
    UINTN key = 0;
    size_t count = 0;
    MU_TRY(read_memory_map(ws, overlays, info->regions, mu::kMaxMemoryRegions, &count, &key));
    info->region_count = static_cast<uint32_t>(count);
    info->exit_tsc = cpu::rdtsc();
    status = ST->BootServices->ExitBootServices(image, key);
    if (status == EFI_SUCCESS) return Status::ok();
    // UEFI 2.10 §7.4.6: the map changed (an event allocated memory). The firmware may already
    // have shut parts of itself down, so from here on only GetMemoryMap/ExitBootServices.
    *firmware_gone = true;
    if (status != EFI_INVALID_PARAMETER) break;
  }
  return Status::fail("ExitBootServices", "failed", status);
}

}  // namespace muboot
