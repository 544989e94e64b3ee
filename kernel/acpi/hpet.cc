// Parser for the ACPI HPET description table.
#include "acpi/hpet.h"

namespace kernel::acpi {
namespace {

// IA-PC HPET spec 1.0a Table 3 offsets.
constexpr size_t kBlockIdOffset = 36;
constexpr size_t kAddressOffset = 40;  // 12-byte Generic Address Structure
constexpr size_t kNumberOffset = 52;
constexpr size_t kMinTickOffset = 53;
constexpr size_t kProtectionOffset = 55;
constexpr size_t kHpetTableLength = 56;

constexpr uint8_t kSystemMemorySpace = 0;

}  // namespace

AcpiError parse_hpet(const uint8_t* table, size_t size, HpetInfo* out) {
  *out = HpetInfo{};
  size_t length = 0;
  AcpiError status = check_table(table, size, "HPET", kHpetTableLength, &length);
  if (status != AcpiError::Ok) return status;
  // GAS: address space id @0, bit width @1, bit offset @2, access size @3, address u64 @4.
  if (table[kAddressOffset] != kSystemMemorySpace) return AcpiError::UnsupportedAddressSpace;

  HpetInfo info{};
  info.address = load_u64(table + kAddressOffset + 4);
  info.event_timer_block_id = load_u32(table + kBlockIdOffset);
  info.hpet_number = table[kNumberOffset];
  info.min_clock_tick = load_u16(table + kMinTickOffset);
  info.page_protection = table[kProtectionOffset];
  info.comparator_count = static_cast<uint8_t>(((info.event_timer_block_id >> 8) & 0x1F) + 1);
  info.counter_64bit = (info.event_timer_block_id >> 13) & 1;
  info.legacy_replacement = (info.event_timer_block_id >> 15) & 1;
  if (info.address == 0) return AcpiError::InvalidEntry;
  *out = info;
  return AcpiError::Ok;
}

}  // namespace kernel::acpi
