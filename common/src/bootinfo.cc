// BootInfo checks the kernel runs on what muboot handed over, plus names for diagnostics.
#include "mu/bootinfo.h"

namespace mu {
namespace {

constexpr uint64_t kPageMask = 4096 - 1;

// The fields check_bootinfo reads before it knows the structure is complete.
constexpr size_t kPrologueSize = sizeof(uint64_t) + 2 * sizeof(uint32_t);

}  // namespace

const char* memory_type_name(MemoryType type) {
  switch (type) {
    case MemoryType::Usable: return "usable";
    case MemoryType::Reserved: return "reserved";
    case MemoryType::AcpiReclaimable: return "acpi-reclaimable";
    case MemoryType::AcpiNvs: return "acpi-nvs";
    case MemoryType::Mmio: return "mmio";
    case MemoryType::BootReclaimable: return "boot-reclaimable";
    case MemoryType::KernelImage: return "kernel";
    case MemoryType::Initrd: return "initrd";
    case MemoryType::Framebuffer: return "framebuffer";
    case MemoryType::BootPageTables: return "boot-page-tables";
    case MemoryType::BootInfo: return "bootinfo";
  }
  return "unknown";
}

const char* bootinfo_error_string(BootInfoError error) {
  switch (error) {
    case BootInfoError::None: return "ok";
    case BootInfoError::Null: return "no BootInfo pointer";
    case BootInfoError::BadMagic: return "BootInfo magic mismatch";
    case BootInfoError::BadVersion: return "unsupported BootInfo version";
    case BootInfoError::BadSize: return "BootInfo size out of range";
    case BootInfoError::TooManyRegions: return "too many memory regions";
    case BootInfoError::RegionMisaligned: return "memory region not page-aligned";
    case BootInfoError::RegionEmpty: return "empty memory region";
    case BootInfoError::RegionOverflow: return "memory region wraps around";
    case BootInfoError::RegionBadType: return "memory region has an unknown type";
    case BootInfoError::RegionsUnsorted: return "memory regions not sorted by base";
    case BootInfoError::RegionsOverlap: return "memory regions overlap";
    case BootInfoError::CmdlineUnterminated: return "command line not NUL-terminated";
  }
  return "unknown BootInfo error";
}

BootInfoError check_bootinfo(const BootInfo* info, size_t available) {
  if (info == nullptr) return BootInfoError::Null;
  // Nothing past the prologue may be read until size has been checked against `available`.
  if (available < kPrologueSize) return BootInfoError::BadSize;
  if (info->magic != kBootInfoMagic) return BootInfoError::BadMagic;
  if (info->version != kBootInfoVersion) return BootInfoError::BadVersion;
  if (info->size < sizeof(BootInfo) || info->size > available) return BootInfoError::BadSize;

  if (info->region_count > kMaxMemoryRegions) return BootInfoError::TooManyRegions;
  uint64_t previous_end = 0;
  for (size_t i = 0; i < info->region_count; ++i) {
    const MemoryRegion& r = info->regions[i];
    if ((r.base & kPageMask) != 0 || (r.length & kPageMask) != 0) {
      return BootInfoError::RegionMisaligned;
    }
    if (r.length == 0) return BootInfoError::RegionEmpty;
    uint64_t end;
    if (__builtin_add_overflow(r.base, r.length, &end)) return BootInfoError::RegionOverflow;
    const auto raw_type = static_cast<uint32_t>(r.type);
    if (raw_type < static_cast<uint32_t>(MemoryType::Usable) ||
        raw_type > static_cast<uint32_t>(MemoryType::BootInfo)) {
      return BootInfoError::RegionBadType;
    }
    if (i > 0) {
      if (r.base < info->regions[i - 1].base) return BootInfoError::RegionsUnsorted;
      if (r.base < previous_end) return BootInfoError::RegionsOverlap;
    }
    previous_end = end;
  }

  for (size_t i = 0; i < kCmdlineMax; ++i) {
    if (info->cmdline[i] == '\0') return BootInfoError::None;
  }
  return BootInfoError::CmdlineUnterminated;
}

uint64_t bootinfo_bytes_of(const BootInfo& info, MemoryType type) {
  const size_t count =
      info.region_count < kMaxMemoryRegions ? info.region_count : kMaxMemoryRegions;
  uint64_t total = 0;
  for (size_t i = 0; i < count; ++i) {
    if (info.regions[i].type != type) continue;
    // Saturate instead of wrapping; only reachable with a BootInfo check_bootinfo rejects.
    if (__builtin_add_overflow(total, info.regions[i].length, &total)) return ~0ULL;
  }
  return total;
}

}  // namespace mu
