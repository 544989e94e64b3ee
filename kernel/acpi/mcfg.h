// Parser for the ACPI MCFG table: where PCI Express ECAM configuration space lives.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "acpi/table_check.h"

namespace kernel::acpi {

inline constexpr size_t kMaxEcamRegions = 16;

// One "Configuration Space Base Address Allocation Structure" (PCI Firmware spec 3.2 §4.1.2,
// Table 4-3): the ECAM window of buses [start_bus, end_bus] of one PCI segment group.
struct EcamRegion {
  uint64_t base;  // physical address of bus 0 of the segment (see ecam_address)
  uint16_t segment;
  uint8_t start_bus;
  uint8_t end_bus;
};

struct McfgInfo {
  EcamRegion regions[kMaxEcamRegions];
  size_t region_count;  // stored
  size_t regions_seen;  // in the table
  bool truncated;       // regions_seen > kMaxEcamRegions
};

// Validates the table (header, checksum, whole 16-byte entries, start_bus <= end_bus, base
// 1 MiB aligned as ECAM requires) and fills *out; on error *out is zeroed.
// Preconditions: out != nullptr; `size` bytes at `table` are readable; nothing outside them is
// read.
[[nodiscard]] AcpiError parse_mcfg(const uint8_t* table, size_t size, McfgInfo* out);

// The region of `segment` that covers `bus`, or nullptr.
[[nodiscard]] const EcamRegion* ecam_region_for(const McfgInfo& info, uint16_t segment,
                                                uint8_t bus);

// Physical address of config-space `offset` of bus/device/function in `region` (PCIe base spec
// §7.2.2: 1 MiB per bus, 32 KiB per device, 4 KiB per function). The base is taken as the
// address of bus 0 even when start_bus is not 0, as Linux and the _CBA method read it.
// Returns 0 if bus is outside the region, device > 31, function > 7 or offset > 4095.
[[nodiscard]] uint64_t ecam_address(const EcamRegion& region, uint8_t bus, uint8_t device,
                                    uint8_t function, uint16_t offset);

// Bytes of ECAM space the region's bus range occupies (what the kernel must map).
[[nodiscard]] constexpr uint64_t ecam_region_size(const EcamRegion& region) {
  return (static_cast<uint64_t>(region.end_bus) - region.start_bus + 1) << 20;
}

}  // namespace kernel::acpi
