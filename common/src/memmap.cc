// Memory map construction: firmware type translation and an allocation-free overlap resolver.
#include "mu/memmap.h"

namespace mu {
namespace {

constexpr uint64_t kPage = 4096;
constexpr uint64_t kPageMask = kPage - 1;
// Highest page-aligned address; region ends are clamped here so that rounding cannot wrap.
constexpr uint64_t kTopEnd = ~kPageMask;

bool is_valid_type(MemoryType type) {
  const auto raw = static_cast<uint32_t>(type);
  return raw >= static_cast<uint32_t>(MemoryType::Usable) &&
         raw <= static_cast<uint32_t>(MemoryType::BootInfo);
}

// Types the kernel may hand out (now or after boot). Their partial pages are dropped rather
// than rounded outward: a byte range that is RAM only in part of a page must not make the
// whole page allocatable. Every other type rounds outward so nothing it covers is lost.
bool is_allocatable(MemoryType type) {
  return type == MemoryType::Usable || type == MemoryType::BootReclaimable;
}

// Page-granular bounds of one input region; false when the region covers no page.
bool page_bounds(const MemoryRegion& region, uint64_t* start, uint64_t* end) {
  uint64_t raw_end;
  if (__builtin_add_overflow(region.base, region.length, &raw_end)) raw_end = ~0ULL;
  uint64_t s;
  uint64_t e;
  if (is_allocatable(region.type)) {
    if (region.base > kTopEnd) return false;
    s = (region.base + kPageMask) & ~kPageMask;
    e = raw_end & ~kPageMask;
  } else {
    s = region.base & ~kPageMask;
    e = raw_end > kTopEnd ? kTopEnd : (raw_end + kPageMask) & ~kPageMask;
  }
  if (e <= s) return false;
  *start = s;
  *end = e;
  return true;
}

// Heapsort: in place, O(n log n), no recursion and no allocation, so it runs in muboot as is.
void sift_down(uint64_t* v, size_t root, size_t count) {
  for (;;) {
    size_t child = 2 * root + 1;
    if (child >= count) return;
    if (child + 1 < count && v[child + 1] > v[child]) ++child;
    if (v[root] >= v[child]) return;
    const uint64_t tmp = v[root];
    v[root] = v[child];
    v[child] = tmp;
    root = child;
  }
}

void heap_sort(uint64_t* v, size_t count) {
  for (size_t i = count / 2; i-- > 0;) sift_down(v, i, count);
  for (size_t end = count; end > 1; --end) {
    const uint64_t tmp = v[0];
    v[0] = v[end - 1];
    v[end - 1] = tmp;
    sift_down(v, 0, end - 1);
  }
}

}  // namespace

// UEFI 2.10 §7.2 (EFI_BOOT_SERVICES.GetMemoryMap) describes each type's use after
// ExitBootServices; runtime-services memory must stay mapped and untouched, so it is Reserved.
MemoryType memory_type_from_efi(uint32_t efi_type) {
  switch (static_cast<EfiMemoryType>(efi_type)) {
    case EfiMemoryType::Conventional: return MemoryType::Usable;
    case EfiMemoryType::LoaderCode:
    case EfiMemoryType::LoaderData:
    case EfiMemoryType::BootServicesCode:
    case EfiMemoryType::BootServicesData: return MemoryType::BootReclaimable;
    case EfiMemoryType::AcpiReclaim: return MemoryType::AcpiReclaimable;
    case EfiMemoryType::AcpiNvs: return MemoryType::AcpiNvs;
    case EfiMemoryType::MemoryMappedIo:
    case EfiMemoryType::MemoryMappedIoPortSpace: return MemoryType::Mmio;
    default:
      // Reserved, RuntimeServices*, Unusable, PalCode, Persistent, Unaccepted (would need
      // the accept protocol before use) and types from newer specs.
      return MemoryType::Reserved;
  }
}

int memory_type_rank(MemoryType type) {
  switch (type) {
    // Firmware types, least to most restrictive.
    case MemoryType::Usable: return 0;
    case MemoryType::BootReclaimable: return 1;
    case MemoryType::AcpiReclaimable: return 2;
    case MemoryType::AcpiNvs: return 3;
    case MemoryType::Mmio: return 4;
    case MemoryType::Reserved: return 5;
    // Loader-owned types: the loader knows exactly what it put there. They should not overlap
    // each other; the order only makes the result deterministic if they do.
    case MemoryType::Framebuffer: return 6;
    case MemoryType::Initrd: return 7;
    case MemoryType::BootInfo: return 8;
    case MemoryType::BootPageTables: return 9;
    case MemoryType::KernelImage: return 10;
  }
  return 5;  // an out-of-range value is treated as Reserved
}

// Elementary-interval sweep: the sorted, de-duplicated region boundaries cut the address space
// into intervals that no region starts or ends inside, so each interval has one winning type.
// O(n^2) in the number of regions, fine for the few hundred a firmware map has.
MemoryMapError build_memory_map(const MemoryRegion* in, size_t in_count, uint64_t* scratch,
                                size_t scratch_count, MemoryRegion* out, size_t out_capacity,
                                size_t* out_count) {
  *out_count = 0;
  size_t needed;
  if (__builtin_mul_overflow(in_count, size_t{2}, &needed) || scratch_count < needed) {
    return MemoryMapError::ScratchTooSmall;
  }

  size_t bounds = 0;
  for (size_t i = 0; i < in_count; ++i) {
    uint64_t start;
    uint64_t end;
    if (!page_bounds(in[i], &start, &end)) continue;
    scratch[bounds++] = start;
    scratch[bounds++] = end;
  }
  heap_sort(scratch, bounds);
  size_t unique = 0;
  for (size_t i = 0; i < bounds; ++i) {
    if (unique == 0 || scratch[unique - 1] != scratch[i]) scratch[unique++] = scratch[i];
  }

  size_t count = 0;
  for (size_t k = 0; k + 1 < unique; ++k) {
    const uint64_t lo = scratch[k];
    const uint64_t hi = scratch[k + 1];
    bool covered = false;
    MemoryType best = MemoryType::Reserved;
    for (size_t i = 0; i < in_count; ++i) {
      uint64_t start;
      uint64_t end;
      if (!page_bounds(in[i], &start, &end) || start > lo || end < hi) continue;
      const MemoryType type = is_valid_type(in[i].type) ? in[i].type : MemoryType::Reserved;
      if (!covered || memory_type_rank(type) > memory_type_rank(best)) best = type;
      covered = true;
    }
    if (!covered) continue;  // a hole between regions

    if (count > 0 && out[count - 1].type == best &&
        out[count - 1].base + out[count - 1].length == lo) {
      out[count - 1].length += hi - lo;
      continue;
    }
    if (count == out_capacity) {
      *out_count = 0;
      return MemoryMapError::TooManyRegions;
    }
    out[count++] = MemoryRegion{lo, hi - lo, best, 0};
  }
  *out_count = count;
  return MemoryMapError::None;
}

}  // namespace mu
