// Parser for the ACPI MADT ("APIC" table): walks and bounds-checks every entry.
#include "acpi/madt.h"

namespace kernel::acpi {
namespace {

// ACPI 6.5 §5.2.12 Table 5.19: header, then Local Interrupt Controller Address (u32 at 36) and
// Flags (u32 at 40); entries start at 44.
constexpr size_t kMadtLapicAddressOffset = 36;
constexpr size_t kMadtFlagsOffset = 40;
constexpr size_t kMadtEntriesOffset = 44;
constexpr uint32_t kMadtPcatCompat = 1u << 0;

// Entry types (Table 5.21) and their lengths as the spec defines them.
enum EntryType : uint8_t {
  kLocalApic = 0,
  kIoApic = 1,
  kSourceOverride = 2,
  kNmiSource = 3,
  kLocalApicNmi = 4,
  kLocalApicAddressOverride = 5,
  kLocalX2Apic = 9,
  kLocalX2ApicNmi = 10,
};

constexpr size_t min_entry_length(uint8_t type) {
  switch (type) {
    case kLocalApic: return 8;
    case kIoApic: return 12;
    case kSourceOverride: return 10;
    case kNmiSource: return 8;
    case kLocalApicNmi: return 6;
    case kLocalApicAddressOverride: return 12;
    case kLocalX2Apic: return 16;
    case kLocalX2ApicNmi: return 12;
    default: return 2;
  }
}

// Local APIC flags (Table 5.23).
constexpr uint32_t kLapicEnabled = 1u << 0;
constexpr uint32_t kLapicOnlineCapable = 1u << 1;

Polarity polarity_of(uint16_t inti_flags) { return static_cast<Polarity>(inti_flags & 3); }
Trigger trigger_of(uint16_t inti_flags) { return static_cast<Trigger>((inti_flags >> 2) & 3); }

// Appends `item` if there is room; counts it either way.
template <typename T, size_t N>
void push(T (&array)[N], size_t& count, size_t& seen, bool& truncated, const T& item) {
  ++seen;
  if (count < N) {
    array[count++] = item;
  } else {
    truncated = true;
  }
}

MadtCpu cpu_from(uint32_t apic_id, uint32_t uid, uint32_t flags, bool x2apic) {
  return MadtCpu{apic_id, uid, (flags & kLapicEnabled) != 0, (flags & kLapicOnlineCapable) != 0,
                 x2apic};
}

void record_entry(const uint8_t* e, MadtInfo& m) {
  switch (e[0]) {
    case kLocalApic:  // uid u8 @2, APIC id u8 @3, flags u32 @4
      push(m.cpus, m.cpu_count, m.cpus_seen, m.truncated,
           cpu_from(e[3], e[2], load_u32(e + 4), false));
      break;
    case kLocalX2Apic:  // reserved u16 @2, x2APIC id u32 @4, flags u32 @8, uid u32 @12
      push(m.cpus, m.cpu_count, m.cpus_seen, m.truncated,
           cpu_from(load_u32(e + 4), load_u32(e + 12), load_u32(e + 8), true));
      break;
    case kIoApic:  // id u8 @2, reserved @3, address u32 @4, GSI base u32 @8
      push(m.ioapics, m.ioapic_count, m.ioapics_seen, m.truncated,
           MadtIoApic{e[2], load_u32(e + 4), load_u32(e + 8)});
      break;
    case kSourceOverride: {  // bus u8 @2, source u8 @3, GSI u32 @4, flags u16 @8
      uint16_t flags = load_u16(e + 8);
      push(m.overrides, m.override_count, m.overrides_seen, m.truncated,
           MadtOverride{e[2], e[3], load_u32(e + 4), polarity_of(flags), trigger_of(flags)});
      break;
    }
    case kNmiSource: {  // flags u16 @2, GSI u32 @4
      uint16_t flags = load_u16(e + 2);
      push(m.nmi_sources, m.nmi_source_count, m.nmi_sources_seen, m.truncated,
           MadtNmiSource{load_u32(e + 4), polarity_of(flags), trigger_of(flags)});
      break;
    }
    case kLocalApicNmi: {  // uid u8 @2, flags u16 @3, LINT# u8 @5
      uint16_t flags = load_u16(e + 3);
      push(m.lapic_nmis, m.lapic_nmi_count, m.lapic_nmis_seen, m.truncated,
           MadtLapicNmi{e[2], e[2] == 0xFF, e[5], polarity_of(flags), trigger_of(flags)});
      break;
    }
    case kLocalX2ApicNmi: {  // flags u16 @2, uid u32 @4, LINT# u8 @8
      uint16_t flags = load_u16(e + 2);
      uint32_t uid = load_u32(e + 4);
      push(m.lapic_nmis, m.lapic_nmi_count, m.lapic_nmis_seen, m.truncated,
           MadtLapicNmi{uid, uid == 0xFFFFFFFFu, e[8], polarity_of(flags), trigger_of(flags)});
      break;
    }
    case kLocalApicAddressOverride:  // reserved u16 @2, address u64 @4
      // §5.2.12.8: when present, OSPM uses this 64-bit address instead of the header's.
      m.lapic_address = load_u64(e + 4);
      m.lapic_address_override = true;
      break;
    default: break;  // reserved or OEM type: skipped
  }
}

}  // namespace

AcpiError parse_madt(const uint8_t* table, size_t size, MadtInfo* out) {
  // Filled in place (the struct is a few KiB: too big to build on a kernel stack and copy).
  MadtInfo& info = *out;
  info = MadtInfo{};
  size_t length = 0;
  AcpiError status = check_table(table, size, "APIC", kMadtEntriesOffset, &length);
  if (status != AcpiError::Ok) return status;

  info.lapic_address = load_u32(table + kMadtLapicAddressOffset);
  info.pcat_compat = (load_u32(table + kMadtFlagsOffset) & kMadtPcatCompat) != 0;

  EntryWalker walker(table + kMadtEntriesOffset, table + length);
  const uint8_t* entry = nullptr;
  size_t entry_length = 0;
  while (walker.next(&entry, &entry_length)) {
    if (entry_length < min_entry_length(entry[0])) {
      status = AcpiError::EntryTooShort;
      break;
    }
    record_entry(entry, info);
  }
  if (status == AcpiError::Ok) status = walker.error();
  if (status != AcpiError::Ok) info = MadtInfo{};  // no partial result
  return status;
}

IsaIrqRoute irq_to_gsi(const MadtInfo& info, uint8_t isa_irq) {
  IsaIrqRoute route{isa_irq, false, false};  // ISA default: identity, active high, edge
  for (size_t i = 0; i < info.override_count; ++i) {
    const MadtOverride& o = info.overrides[i];
    if (o.bus != 0 || o.source_irq != isa_irq) continue;
    route.gsi = o.gsi;
    route.active_low = o.polarity == Polarity::ActiveLow;
    route.level_triggered = o.trigger == Trigger::Level;
    break;
  }
  return route;
}

const MadtIoApic* ioapic_for_gsi(const MadtInfo& info, uint32_t gsi) {
  const MadtIoApic* best = nullptr;
  for (size_t i = 0; i < info.ioapic_count; ++i) {
    const MadtIoApic& io = info.ioapics[i];
    if (io.gsi_base <= gsi && (best == nullptr || io.gsi_base > best->gsi_base)) best = &io;
  }
  return best;
}

}  // namespace kernel::acpi
