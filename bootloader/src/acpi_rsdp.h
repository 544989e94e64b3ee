// Finding the ACPI RSDP in the UEFI configuration table (UEFI 2.10 §4.6, ACPI 6.5 §5.2.5.2).
#pragma once

#include <stdint.h>

#include "uefi.h"

namespace muboot {

struct RsdpLocation {
  uint64_t address = 0;   // physical; 0 when the firmware publishes none
  uint32_t revision = 0;  // 2 for the ACPI 2.0+ table, 1 for the ACPI 1.0 one
};

// Prefers the ACPI 2.0 GUID (XSDT-capable RSDP), falls back to ACPI 1.0.
[[nodiscard]] RsdpLocation find_rsdp(const EFI_SYSTEM_TABLE* system_table);

}  // namespace muboot
