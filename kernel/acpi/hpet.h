// Parser for the ACPI HPET description table: where the HPET registers are and its basics.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "acpi/table_check.h"

namespace kernel::acpi {

// IA-PC HPET specification 1.0a §3.2.4 Table 3: the fields after the SDT header.
struct HpetInfo {
  uint64_t address;               // physical MMIO base of the timer block (system memory space)
  uint32_t event_timer_block_id;  // vendor, counter size, comparator count, revision
  uint8_t hpet_number;            // sequence number of this timer block
  uint16_t min_clock_tick;        // minimum periodic tick in counter ticks without lost interrupts
  uint8_t page_protection;        // bits 3:0 protection, 7:4 OEM attributes
  uint8_t comparator_count;       // from the block id: bits 12:8 hold the last comparator's index
  bool counter_64bit;             // block id bit 13 (COUNT_SIZE_CAP)
  bool legacy_replacement;        // block id bit 15 (LEG_RT_CAP)
};

// Validates the table and fills *out; on error *out is zeroed. Refuses a base address that is
// not in system memory (ACPI 6.5 §5.2.3.2 Generic Address Structure, address space id 0) with
// UnsupportedAddressSpace. Preconditions: out != nullptr; `size` bytes at `table` are readable.
[[nodiscard]] AcpiError parse_hpet(const uint8_t* table, size_t size, HpetInfo* out);

}  // namespace kernel::acpi
