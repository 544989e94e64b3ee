// Validation of an ACPI system description table header over raw bytes, shared by the parsers.
#include "acpi/table_check.h"

namespace mu::acpi {

const char* acpi_error_name(AcpiError error) {
  switch (error) {
    case AcpiError::Ok: return "ok";
    case AcpiError::NullTable: return "no table";
    case AcpiError::BufferTooSmall: return "buffer smaller than a table header";
    case AcpiError::BadSignature: return "wrong signature";
    case AcpiError::LengthTooSmall: return "table length below its fixed part";
    case AcpiError::LengthPastBuffer: return "table length past the end of the buffer";
    case AcpiError::BadChecksum: return "bad checksum";
    case AcpiError::EntryHeaderTruncated: return "entry header truncated";
    case AcpiError::EntryLengthInvalid: return "entry length below 2";
    case AcpiError::EntryPastEnd: return "entry runs past the end of the table";
    case AcpiError::EntryTooShort: return "entry shorter than its type requires";
    case AcpiError::InvalidEntry: return "entry contradicts the specification";
    case AcpiError::UnsupportedAddressSpace: return "address space is not system memory";
  }
  return "unknown error";
}

AcpiError check_table(const uint8_t* table, size_t size, const char* signature,
                      size_t min_length, size_t* length) {
  if (table == nullptr) return AcpiError::NullTable;
  if (size < kSdtHeaderSize) return AcpiError::BufferTooSmall;
  for (size_t i = 0; i < 4; ++i) {
    if (table[i] != static_cast<uint8_t>(signature[i])) return AcpiError::BadSignature;
  }
  size_t header_length = load_u32(table + kSdtLengthOffset);
  if (min_length < kSdtHeaderSize) min_length = kSdtHeaderSize;
  if (header_length < min_length) return AcpiError::LengthTooSmall;
  if (header_length > size) return AcpiError::LengthPastBuffer;

  uint8_t sum = 0;
  for (size_t i = 0; i < header_length; ++i) sum = static_cast<uint8_t>(sum + table[i]);
  if (sum != 0) return AcpiError::BadChecksum;

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

}  // namespace mu::acpi
