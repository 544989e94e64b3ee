// ACPI table basics shared by every parser: error names, checksum and header checks.
#include "acpi/table_check.h"

namespace kernel::acpi {

const char* acpi_error_string(AcpiError error) {
  switch (error) {
    case AcpiError::Ok: return "no error";
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
    case AcpiError::NullTable: return "no table";
    case AcpiError::BufferTooSmall: return "buffer smaller than a table header";
    case AcpiError::BadSignature: return "wrong signature";
    case AcpiError::LengthTooSmall: return "table length below its fixed part";
    case AcpiError::LengthPastBuffer: return "table length past the end of the buffer";
    case AcpiError::EntryHeaderTruncated: return "entry header truncated";
    case AcpiError::EntryLengthInvalid: return "entry length below 2";
    case AcpiError::EntryPastEnd: return "entry runs past the end of the table";
    case AcpiError::EntryTooShort: return "entry shorter than its type requires";
    case AcpiError::InvalidEntry: return "entry contradicts the specification";
    case AcpiError::UnsupportedAddressSpace: return "address space is not system memory";
  }
  return "unknown ACPI error";
}

bool checksum_ok(const uint8_t* data, size_t length) {
  uint8_t sum = 0;
  for (size_t i = 0; i < length; ++i) sum = static_cast<uint8_t>(sum + data[i]);
  return sum == 0;
}

bool signature_is(const void* bytes, const char* signature) {
  const auto* b = static_cast<const uint8_t*>(bytes);
  for (size_t i = 0; i < 4; ++i) {
    if (b[i] != static_cast<uint8_t>(signature[i])) return false;
  }
  return true;
}

AcpiError check_table(const uint8_t* table, size_t size, const char* signature, size_t min_length,
                      size_t* length) {
  if (table == nullptr) return AcpiError::NullTable;
  if (size < kSdtHeaderSize) return AcpiError::BufferTooSmall;
  if (!signature_is(table, signature)) return AcpiError::BadSignature;
  size_t header_length = load_u32(table + kSdtLengthOffset);
  if (min_length < kSdtHeaderSize) min_length = kSdtHeaderSize;
  if (header_length < min_length) return AcpiError::LengthTooSmall;
  if (header_length > size) return AcpiError::LengthPastBuffer;

  if (!checksum_ok(table, header_length)) return AcpiError::BadTableChecksum;

  *length = header_length;
  return AcpiError::Ok;
}

bool EntryWalker::next(const uint8_t** entry, size_t* length) {
  if (error_ != AcpiError::Ok || pos_ == end_) return false;
  size_t left = static_cast<size_t>(end_ - pos_);
  if (left < 2) {
    error_ = AcpiError::EntryHeaderTruncated;
    return false;
  }
  size_t entry_length = pos_[1];
  if (entry_length < 2) {
    error_ = AcpiError::EntryLengthInvalid;
    return false;
  }
  if (entry_length > left) {
    error_ = AcpiError::EntryPastEnd;
    return false;
  }
  *entry = pos_;
  *length = entry_length;
  pos_ += entry_length;
  return true;
}

}  // namespace kernel::acpi
