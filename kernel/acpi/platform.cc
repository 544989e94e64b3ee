// ACPI platform discovery: find MADT/HPET/MCFG through tables.h, parse with madt.cc and friends.
#include "acpi/platform.h"

#include "acpi/hhdm_memory.h"
#include "lib/print.h"

namespace kernel::acpi {
namespace {

Platform g_platform;  // a few KiB: static, never on the stack

// Finds the first valid table with `signature` (checksummed by AcpiTables::find) and hands its
// bytes to `parse`. Reports why a table present in the root was refused.
template <typename Info, typename Parse>
bool load_table(const AcpiTables& tables, const char* signature, Parse parse, Info* out) {
  const SdtHeader* header = nullptr;
  const AcpiError found = tables.find(signature, 0, &header);
  if (found != AcpiError::Ok) {
    if (found != AcpiError::TableNotFound) {
      kprintf("acpi: %.4s: %s\n", signature, acpi_error_string(found));
    }
    return false;
  }
  const AcpiError parsed = parse(reinterpret_cast<const uint8_t*>(header), header->length, out);
  if (parsed != AcpiError::Ok) {
    kprintf("acpi: %.4s refused: %s\n", signature, acpi_error_string(parsed));
    return false;
  }
  return true;
}

}  // namespace

bool discover_platform(uint64_t rsdp, uint64_t hhdm_mapped_end) {
  // The memory object must outlive `tables` (which keeps a pointer); both are used only here.
  static HhdmMemory memory(0);
  memory = HhdmMemory(hhdm_mapped_end);
  AcpiTables tables;
  const AcpiError opened = AcpiTables::open(memory, rsdp, &tables);
  if (opened != AcpiError::Ok) {
    kprintf("acpi: cannot read the ACPI tables: %s\n", acpi_error_string(opened));
    return false;
  }
  g_platform.have_madt = load_table(tables, "APIC", parse_madt, &g_platform.madt);
  g_platform.have_hpet = load_table(tables, "HPET", parse_hpet, &g_platform.hpet);
  g_platform.have_mcfg = load_table(tables, "MCFG", parse_mcfg, &g_platform.mcfg);
  kprintf(
      "acpi: %s rev %u, %zu tables; MADT %s cpus=%zu ioapics=%zu overrides=%zu; HPET %s; "
      "MCFG %s regions=%zu\n",
      tables.uses_xsdt() ? "XSDT" : "RSDT", tables.revision(), tables.table_count(),
      g_platform.have_madt ? "ok" : "absent", g_platform.madt.cpu_count,
      g_platform.madt.ioapic_count, g_platform.madt.override_count,
      g_platform.have_hpet ? "ok" : "absent", g_platform.have_mcfg ? "ok" : "absent",
      g_platform.mcfg.region_count);
  if (g_platform.have_madt && g_platform.madt.truncated) {
    kprintf("acpi: MADT lists more CPUs/IOAPICs/overrides than the kernel keeps; extras ignored\n");
  }
  return true;
}

const Platform& platform() { return g_platform; }

}  // namespace kernel::acpi
