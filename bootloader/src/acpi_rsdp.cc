// Finding the ACPI RSDP in the UEFI configuration table.
#include "acpi_rsdp.h"

namespace muboot {

RsdpLocation find_rsdp(const EFI_SYSTEM_TABLE* system_table) {
  RsdpLocation found;
  for (UINTN i = 0; i < system_table->NumberOfTableEntries; ++i) {
    const EFI_CONFIGURATION_TABLE& entry = system_table->ConfigurationTable[i];
    const auto address = reinterpret_cast<uint64_t>(entry.VendorTable);
    if (guid_equal(entry.VendorGuid, kAcpi20TableGuid)) {
      return RsdpLocation{address, 2};
    }
    if (found.address == 0 && guid_equal(entry.VendorGuid, kAcpi10TableGuid)) {
      found = RsdpLocation{address, 1};
    }
  }
  return found;
}

}  // namespace muboot
