// The platform description the kernel takes from ACPI at boot: MADT, HPET and MCFG, parsed once.
#pragma once

#include <stdint.h>

#include "acpi/hpet.h"
#include "acpi/madt.h"
#include "acpi/mcfg.h"
#include "acpi/tables.h"

namespace kernel::acpi {

struct Platform {
  bool have_madt = false;
  bool have_hpet = false;
  bool have_mcfg = false;
  MadtInfo madt;
  HpetInfo hpet;
  McfgInfo mcfg;
};

// Opens the RSDP (checksums of the RSDP, root table and each table are checked) and parses the
// MADT, HPET and MCFG when present, printing one `acpi:` line per problem. Call once, on the
// boot CPU, before platform(). Returns false when the root tables themselves are unusable.
bool discover_platform(uint64_t rsdp, uint64_t hhdm_mapped_end);

// What discover_platform found (all `have_*` false before it ran or when it failed).
[[nodiscard]] const Platform& platform();

}  // namespace kernel::acpi
