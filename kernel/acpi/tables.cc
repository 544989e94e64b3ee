// ACPI root and table lookup.
#include "acpi/tables.h"

namespace kernel::acpi {

AcpiError map_table(PhysicalMemory& memory, uint64_t physical, const SdtHeader** out) {
  const uint8_t* header = memory.map(physical, sizeof(SdtHeader));
  if (header == nullptr) return AcpiError::Unmapped;
  const uint32_t length = load_u32(header + kSdtLengthOffset);
  if (length < sizeof(SdtHeader) || length > kMaxTableLength) return AcpiError::BadTableLength;
  const uint8_t* table = memory.map(physical, length);
  if (table == nullptr) return AcpiError::Unmapped;
  if (!checksum_ok(table, length)) return AcpiError::BadTableChecksum;
  *out = reinterpret_cast<const SdtHeader*>(table);
  return AcpiError::Ok;
}

AcpiError AcpiTables::open(PhysicalMemory& memory, uint64_t rsdp_physical, AcpiTables* out) {
  if (rsdp_physical == 0) return AcpiError::NoRsdp;
  // ACPI 1.0 RSDP is 20 bytes; 2.0+ is 36 with Length at offset 20.
  const uint8_t* rsdp = memory.map(rsdp_physical, 20);
  if (rsdp == nullptr) return AcpiError::Unmapped;
  if (!signature_is(rsdp, "RSD ") || !signature_is(rsdp + 4, "PTR ")) {
    return AcpiError::BadRsdpSignature;
  }
  if (!checksum_ok(rsdp, 20)) return AcpiError::BadRsdpChecksum;
  const uint8_t revision = rsdp[15];
  uint64_t root = load_u32(rsdp + 16);
  size_t entry_size = 4;
  const char* root_signature = "RSDT";
  if (revision >= 2) {
    const uint8_t* extended = memory.map(rsdp_physical, 36);
    if (extended == nullptr) return AcpiError::Unmapped;
    const uint32_t length = load_u32(extended + 20);
    if (length < 36 || length > 4096) return AcpiError::BadRsdpLength;
    extended = memory.map(rsdp_physical, length);
    if (extended == nullptr) return AcpiError::Unmapped;
    if (!checksum_ok(extended, length)) return AcpiError::BadRsdpChecksum;
    const uint64_t xsdt = load_u64(extended + 24);
    if (xsdt != 0) {
      root = xsdt;
      entry_size = 8;
      root_signature = "XSDT";
    }
  }
  const SdtHeader* table = nullptr;
  if (const AcpiError error = map_table(memory, root, &table); error != AcpiError::Ok) {
    return error;
  }
  if (!signature_is(table->signature, root_signature)) return AcpiError::BadRootSignature;
  out->memory_ = &memory;
  out->root_ = table;
  out->entry_size_ = entry_size;
  out->entry_count_ = (table->length - sizeof(SdtHeader)) / entry_size;
  out->revision_ = revision;
  return AcpiError::Ok;
}

uint64_t AcpiTables::entry(size_t i) const {
  const uint8_t* entries = reinterpret_cast<const uint8_t*>(root_) + sizeof(SdtHeader);
  return entry_size_ == 8 ? load_u64(entries + i * 8) : load_u32(entries + i * 4);
}

AcpiError AcpiTables::find(const char signature[4], size_t index, const SdtHeader** out) const {
  for (size_t i = 0; i < entry_count_; ++i) {
    const SdtHeader* table = nullptr;
    if (map_table(*memory_, entry(i), &table) != AcpiError::Ok) continue;
    if (!signature_is(table->signature, signature)) continue;
    if (index-- == 0) {
      *out = table;
      return AcpiError::Ok;
    }
  }
  return AcpiError::TableNotFound;
}

}  // namespace kernel::acpi
