// Parser for the ACPI MADT ("APIC" table): local APICs, IOAPICs, ISA overrides and NMIs.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "acpi/table_check.h"

namespace kernel::acpi {

// Output capacities. QEMU q35 and ordinary PCs fit well inside; beyond them the parser keeps
// counting (the *_seen fields) and sets `truncated`, so the kernel can log what it ignored.
inline constexpr size_t kMaxCpus = 64;
inline constexpr size_t kMaxIoApics = 8;
inline constexpr size_t kMaxOverrides = 32;
inline constexpr size_t kMaxLapicNmis = 16;
inline constexpr size_t kMaxNmiSources = 8;

// ACPI 6.5 §5.2.12 Table 5.20 (MPS INTI flags), bits 1:0.
enum class Polarity : uint8_t { Conforms = 0, ActiveHigh = 1, Reserved = 2, ActiveLow = 3 };
// Bits 3:2 of the same flags.
enum class Trigger : uint8_t { Conforms = 0, Edge = 1, Reserved = 2, Level = 3 };

// One processor from a Processor Local APIC (type 0, §5.2.12.2) or Processor Local x2APIC
// (type 9, §5.2.12.12) entry. Disabled processors are listed too: the kernel decides.
struct MadtCpu {
  uint32_t apic_id;     // 8-bit for type 0, 32-bit for type 9
  uint32_t acpi_uid;    // ACPI processor UID, matches a LAPIC NMI entry
  bool enabled;         // flags bit 0: usable now
  bool online_capable;  // flags bit 1: may be enabled later (only meaningful if !enabled)
  bool x2apic;          // came from a type 9 entry
};

// I/O APIC (type 1, §5.2.12.3).
struct MadtIoApic {
  uint8_t id;
  uint32_t address;   // physical MMIO base of the register window
  uint32_t gsi_base;  // first global system interrupt this IOAPIC serves
};

// Interrupt Source Override (type 2, §5.2.12.5).
struct MadtOverride {
  uint8_t bus;         // 0 = ISA, the only bus the spec defines
  uint8_t source_irq;  // bus-relative IRQ
  uint32_t gsi;
  Polarity polarity;
  Trigger trigger;
};

// Non-maskable Interrupt Source (type 3, §5.2.12.6): a GSI wired as NMI.
struct MadtNmiSource {
  uint32_t gsi;
  Polarity polarity;
  Trigger trigger;
};

// Local APIC NMI (type 4, §5.2.12.7) and Local x2APIC NMI (type 10, §5.2.12.13).
struct MadtLapicNmi {
  uint32_t acpi_uid;    // meaningless when all_processors
  bool all_processors;  // uid 0xFF (type 4) or 0xFFFFFFFF (type 10)
  uint8_t lint;         // LINT0 or LINT1 input of the local APIC
  Polarity polarity;
  Trigger trigger;
};

struct MadtInfo {
  uint64_t lapic_address;       // from the header, or the type 5 override when present
  bool lapic_address_override;  // a Local APIC Address Override (type 5, §5.2.12.8) was applied
  bool pcat_compat;             // flags bit 0: legacy 8259 PICs present (must be masked)
  bool truncated;               // some list exceeded its capacity

  MadtCpu cpus[kMaxCpus];
  size_t cpu_count;  // entries stored
  size_t cpus_seen;  // entries in the table
  MadtIoApic ioapics[kMaxIoApics];
  size_t ioapic_count;
  size_t ioapics_seen;
  MadtOverride overrides[kMaxOverrides];
  size_t override_count;
  size_t overrides_seen;
  MadtNmiSource nmi_sources[kMaxNmiSources];
  size_t nmi_source_count;
  size_t nmi_sources_seen;
  MadtLapicNmi lapic_nmis[kMaxLapicNmis];
  size_t lapic_nmi_count;
  size_t lapic_nmis_seen;
};

// Validates the table (header, checksum, every entry's length) and fills *out. Unknown entry
// types are skipped after their length is checked, as §5.2.12 requires of OSPM for reserved
// types. On any error *out holds no partial result (it is zeroed). Preconditions: out != nullptr;
// `size` bytes at `table` are readable (the mapping the caller made); nothing outside them is read.
[[nodiscard]] AcpiError parse_madt(const uint8_t* table, size_t size, MadtInfo* out);

// How an ISA IRQ reaches the IOAPIC: the GSI and the pin's electrical configuration.
struct IsaIrqRoute {
  uint32_t gsi;
  bool active_low;
  bool level_triggered;
};

// Routes ISA IRQ `isa_irq` (0-15): an override for bus 0 and that source wins; otherwise the
// identity mapping (§5.2.12.5: ISA IRQs are identity-mapped unless overridden). "Conforms" and
// reserved flag values take the ISA bus default: active high, edge triggered.
[[nodiscard]] IsaIrqRoute irq_to_gsi(const MadtInfo& info, uint8_t isa_irq);

// The IOAPIC whose GSI range can contain `gsi`: the one with the largest gsi_base <= gsi.
// The caller still checks the pin against the IOAPIC's redirection-entry count (read from its
// version register). Returns nullptr if no IOAPIC starts at or below `gsi`.
[[nodiscard]] const MadtIoApic* ioapic_for_gsi(const MadtInfo& info, uint32_t gsi);

}  // namespace kernel::acpi
