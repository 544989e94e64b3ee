// Parser for the ACPI MCFG table: fixed-size allocation entries after an 8-byte reserved field.
#include "acpi/mcfg.h"

namespace kernel::acpi {
namespace {

// PCI Firmware spec 3.2 Table 4-2: header, 8 reserved bytes, then 16-byte entries.
constexpr size_t kMcfgEntriesOffset = 44;
constexpr size_t kMcfgEntrySize = 16;

}  // namespace

AcpiError parse_mcfg(const uint8_t* table, size_t size, McfgInfo* out) {
  McfgInfo& info = *out;
  info = McfgInfo{};
  size_t length = 0;
  AcpiError status = check_table(table, size, "MCFG", kMcfgEntriesOffset, &length);
  if (status != AcpiError::Ok) return status;
  if ((length - kMcfgEntriesOffset) % kMcfgEntrySize != 0) return AcpiError::EntryPastEnd;

  for (size_t off = kMcfgEntriesOffset; off < length; off += kMcfgEntrySize) {
    // base u64 @0, segment u16 @8, start bus u8 @10, end bus u8 @11, reserved u32 @12
    const uint8_t* e = table + off;
    EcamRegion region{load_u64(e), load_u16(e + 8), e[10], e[11]};
    if (region.start_bus > region.end_bus || (region.base & 0xFFFFF) != 0) {
      info = McfgInfo{};  // a region we cannot trust makes the table untrustworthy
      return AcpiError::InvalidEntry;
    }
    ++info.regions_seen;
    if (info.region_count < kMaxEcamRegions) {
      info.regions[info.region_count++] = region;
    } else {
      info.truncated = true;
    }
  }
  return AcpiError::Ok;
}

const EcamRegion* ecam_region_for(const McfgInfo& info, uint16_t segment, uint8_t bus) {
  for (size_t i = 0; i < info.region_count; ++i) {
    const EcamRegion& r = info.regions[i];
    if (r.segment == segment && r.start_bus <= bus && bus <= r.end_bus) return &r;
  }
  return nullptr;
}

uint64_t ecam_address(const EcamRegion& region, uint8_t bus, uint8_t device, uint8_t function,
                      uint16_t offset) {
  if (bus < region.start_bus || bus > region.end_bus || device > 31 || function > 7 ||
      offset > 4095) {
    return 0;
  }
  return region.base + ((static_cast<uint64_t>(bus) << 20) | (static_cast<uint64_t>(device) << 15) |
                        (static_cast<uint64_t>(function) << 12) | offset);
}

}  // namespace kernel::acpi
