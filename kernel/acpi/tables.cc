// ACPI root and table lookup.
#include "acpi/tables.h"

namespace kernel::acpi {
namespace {

bool same_signature(const char* a, const char* b, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

template <typename T>
T read_unaligned(const uint8_t* p) {
  T value;
  __builtin_memcpy(&value, p, sizeof(T));
  return value;
}

}  // namespace

const char* acpi_error_string(AcpiError error) {
  switch (error) {
    case AcpiError::None: return "no error";
    case AcpiError::NoRsdp: return "no RSDP from the loader";
    case AcpiError::Unmapped: return "table outside mapped memory";
    case AcpiError::BadRsdpSignature: return "bad RSDP signature";
    case AcpiError::BadRsdpChecksum: return "bad RSDP checksum";
    case AcpiError::BadRsdpLength: return "bad RSDP length";
    case AcpiError::BadRootSignature: return "bad XSDT/RSDT signature";
    case AcpiError::BadTableLength: return "bad table length";
    case AcpiError::BadTableChecksum: return "bad table checksum";
    case AcpiError::TableNotFound: return "table not found";
    case AcpiError::FadtTooShort: return "FADT too short";
    case AcpiError::NoDsdt: return "FADT names no DSDT";
    case AcpiError::BadDsdtSignature: return "bad DSDT signature";
    case AcpiError::NoS5: return "no \\_S5_ package in the DSDT";
    case AcpiError::BadS5: return "malformed \\_S5_ package";
    case AcpiError::NoPm1Control: return "no I/O-space PM1a control block in the FADT";
  }
  return "unknown ACPI error";
}

bool checksum_ok(const uint8_t* data, size_t length) {
  uint8_t sum = 0;
  for (size_t i = 0; i < length; ++i) sum = static_cast<uint8_t>(sum + data[i]);
  return sum == 0;
}

AcpiError map_table(PhysicalMemory& memory, uint64_t physical, const SdtHeader** out) {
  const uint8_t* header = memory.map(physical, sizeof(SdtHeader));
  if (header == nullptr) return AcpiError::Unmapped;
  const uint32_t length = read_unaligned<uint32_t>(header + 4);
  if (length < sizeof(SdtHeader) || length > kMaxTableLength) return AcpiError::BadTableLength;
  const uint8_t* table = memory.map(physical, length);
  if (table == nullptr) return AcpiError::Unmapped;
  if (!checksum_ok(table, length)) return AcpiError::BadTableChecksum;
  *out = reinterpret_cast<const SdtHeader*>(table);
  return AcpiError::None;
}

AcpiError AcpiTables::open(PhysicalMemory& memory, uint64_t rsdp_physical, AcpiTables* out) {
  if (rsdp_physical == 0) return AcpiError::NoRsdp;
  // ACPI 1.0 RSDP is 20 bytes; 2.0+ is 36 with Length at offset 20.
  const uint8_t* rsdp = memory.map(rsdp_physical, 20);
  if (rsdp == nullptr) return AcpiError::Unmapped;
  if (!same_signature(reinterpret_cast<const char*>(rsdp), "RSD PTR ", 8)) {
    return AcpiError::BadRsdpSignature;
  }
  if (!checksum_ok(rsdp, 20)) return AcpiError::BadRsdpChecksum;
  const uint8_t revision = rsdp[15];
  uint64_t root = read_unaligned<uint32_t>(rsdp + 16);
  size_t entry_size = 4;
  const char* root_signature = "RSDT";
  if (revision >= 2) {
    const uint8_t* extended = memory.map(rsdp_physical, 36);
    if (extended == nullptr) return AcpiError::Unmapped;
    const uint32_t length = read_unaligned<uint32_t>(extended + 20);
    if (length < 36 || length > 4096) return AcpiError::BadRsdpLength;
    extended = memory.map(rsdp_physical, length);
    if (extended == nullptr) return AcpiError::Unmapped;
    if (!checksum_ok(extended, length)) return AcpiError::BadRsdpChecksum;
    const uint64_t xsdt = read_unaligned<uint64_t>(extended + 24);
    if (xsdt != 0) {
      root = xsdt;
      entry_size = 8;
      root_signature = "XSDT";
    }
  }
  const SdtHeader* table = nullptr;
  if (const AcpiError error = map_table(memory, root, &table); error != AcpiError::None) {
    return error;
  }
  if (!same_signature(table->signature, root_signature, 4)) return AcpiError::BadRootSignature;
  out->memory_ = &memory;
  out->root_ = table;
  out->entry_size_ = entry_size;
  out->entry_count_ = (table->length - sizeof(SdtHeader)) / entry_size;
  out->revision_ = revision;
  return AcpiError::None;
}

uint64_t AcpiTables::entry(size_t i) const {
  const uint8_t* entries = reinterpret_cast<const uint8_t*>(root_) + sizeof(SdtHeader);
  return entry_size_ == 8 ? read_unaligned<uint64_t>(entries + i * 8)
                          : read_unaligned<uint32_t>(entries + i * 4);
}

AcpiError AcpiTables::find(const char signature[4], size_t index, const SdtHeader** out) const {
  for (size_t i = 0; i < entry_count_; ++i) {
    const SdtHeader* table = nullptr;
    if (map_table(*memory_, entry(i), &table) != AcpiError::None) continue;
    if (!same_signature(table->signature, signature, 4)) continue;
    if (index-- == 0) {
      *out = table;
      return AcpiError::None;
    }
  }
  return AcpiError::TableNotFound;
}

}  // namespace kernel::acpi
