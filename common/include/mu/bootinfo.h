// BootInfo: the hand-over ABI from muboot to the kernel (docs/boot-protocol.md).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace mu {

// "MUBOOTI\0" read as a little-endian u64.
inline constexpr uint64_t kBootInfoMagic = 0x0049544F4F42554DULL;
inline constexpr uint32_t kBootInfoVersion = 1;

// Virtual layout fixed by this protocol.
inline constexpr uint64_t kKernelVirtBase = 0xFFFFFFFF80000000ULL;
inline constexpr uint64_t kHhdmBase = 0xFFFF800000000000ULL;

inline constexpr size_t kMaxMemoryRegions = 512;
inline constexpr size_t kCmdlineMax = 256;

// The kernel's own memory region types. Numbering is ABI.
enum class MemoryType : uint32_t {
  Usable = 1,
  Reserved = 2,
  AcpiReclaimable = 3,
  AcpiNvs = 4,
  Mmio = 5,
  BootReclaimable = 6,  // firmware boot-services and loader scratch memory
  KernelImage = 7,
  Initrd = 8,
  Framebuffer = 9,
  BootPageTables = 10,
  BootInfo = 11,
};

[[nodiscard]] const char* memory_type_name(MemoryType type);

struct MemoryRegion {
  uint64_t base;    // physical, page-aligned
  uint64_t length;  // bytes, a non-zero multiple of 4 KiB
  MemoryType type;
  uint32_t reserved;
};
static_assert(sizeof(MemoryRegion) == 24);

enum class PixelFormat : uint32_t {
  None = 0,      // no framebuffer
  Rgbx8888 = 1,  // byte 0 red
  Bgrx8888 = 2,  // byte 0 blue
  Bitmask = 3,   // see the masks
};

struct Framebuffer {
  uint64_t base;  // physical; 0 when there is none
  uint64_t size;  // bytes
  uint32_t width;
  uint32_t height;
  uint32_t pitch;  // bytes per scan line
  uint32_t bpp;    // bits per pixel
  PixelFormat format;
  uint32_t red_mask;
  uint32_t green_mask;
  uint32_t blue_mask;
};

struct BootInfo {
  uint64_t magic;    // kBootInfoMagic
  uint32_t version;  // kBootInfoVersion
  uint32_t size;     // sizeof(BootInfo) as the loader built it

  uint64_t hhdm_base;  // all physical memory is mapped at hhdm_base + phys

  uint64_t kernel_phys_base;  // the kernel image is physically contiguous
  uint64_t kernel_virt_base;  // lowest virtual address of its segments
  uint64_t kernel_size;       // bytes from kernel_virt_base to the end of the last segment

  uint64_t initrd_base;  // physical
  uint64_t initrd_size;  // bytes

  uint64_t rsdp;  // physical address of the ACPI 2.0+ RSDP, or 0

  Framebuffer framebuffer;

  // Raw TSC readings: loader entry, just before ExitBootServices, just before the jump.
  uint64_t loader_tsc;
  uint64_t exit_tsc;
  uint64_t jump_tsc;

  char loader_name[32];       // NUL-terminated
  char loader_version[32];    // NUL-terminated
  char cmdline[kCmdlineMax];  // NUL-terminated kernel command line

  uint32_t region_count;
  uint32_t reserved0;
  MemoryRegion regions[kMaxMemoryRegions];  // sorted by base, non-overlapping
};

enum class BootInfoError : uint32_t {
  None = 0,
  Null,
  BadMagic,
  BadVersion,
  BadSize,
  TooManyRegions,
  RegionMisaligned,
  RegionEmpty,
  RegionOverflow,
  RegionBadType,
  RegionsUnsorted,
  RegionsOverlap,
  CmdlineUnterminated,
};

[[nodiscard]] const char* bootinfo_error_string(BootInfoError error);

// Checks a BootInfo the kernel was handed. `available` is how many bytes may be read at `info`.
[[nodiscard]] BootInfoError check_bootinfo(const BootInfo* info, size_t available);

// Sum of the lengths of all regions of `type`.
[[nodiscard]] uint64_t bootinfo_bytes_of(const BootInfo& info, MemoryType type);

}  // namespace mu
