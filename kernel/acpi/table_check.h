// ACPI table basics shared by every parser: the one error enum, the SDT header, its checksum and
// length check, and little-endian loads from unaligned table bytes.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace kernel::acpi {

// Why ACPI data was refused. One enum for discovery (tables.cc), power-off and the table parsers
// so the boot log reads the same for each.
enum class AcpiError : uint32_t {
  Ok = 0,
  NoRsdp,    // the loader found none
  Unmapped,  // a table lies outside readable physical memory
  BadRsdpSignature,
  BadRsdpChecksum,
  BadRsdpLength,
  BadRootSignature,  // XSDT/RSDT signature mismatch
  BadTableLength,    // shorter than its header or implausibly large
  BadTableChecksum,  // bytes [0, length) do not sum to 0 mod 256
  TableNotFound,
  FadtTooShort,
  NoDsdt,
  BadDsdtSignature,
  NoS5,                     // no \_S5_ package in the DSDT
  BadS5,                    // \_S5_ is not a package of integer constants
  NoPm1Control,             // the FADT has no I/O-space PM1a control block
  NullTable,                // no bytes given
  BufferTooSmall,           // fewer bytes than a header
  BadSignature,             // not the table that was asked for
  LengthTooSmall,           // header length below the table's fixed part
  LengthPastBuffer,         // header length beyond the bytes that were mapped/given
  EntryHeaderTruncated,     // fewer than 2 bytes left for an entry's type and length
  EntryLengthInvalid,       // entry length 0 or 1: the walk could not advance
  EntryPastEnd,             // entry length runs past the table's end
  EntryTooShort,            // entry shorter than its type requires
  InvalidEntry,             // entry fields contradict the spec (e.g. MCFG start bus > end bus)
  UnsupportedAddressSpace,  // a Generic Address Structure that is not system memory
};

// Human-readable name of an error for the boot log.
[[nodiscard]] const char* acpi_error_string(AcpiError error);

// ACPI 6.5 §5.2.6 Table 5.4: every system description table starts with this 36-byte header.
struct [[gnu::packed]] SdtHeader {
  char signature[4];
  uint32_t length;
  uint8_t revision;
  uint8_t checksum;
  char oem_id[6];
  char oem_table_id[8];
  uint32_t oem_revision;
  uint32_t creator_id;
  uint32_t creator_revision;
};
inline constexpr size_t kSdtHeaderSize = 36;
inline constexpr size_t kSdtLengthOffset = 4;
inline constexpr size_t kSdtRevisionOffset = 8;
static_assert(sizeof(SdtHeader) == kSdtHeaderSize);

inline constexpr uint32_t kMaxTableLength = 16u << 20;  // sanity bound against garbage lengths

// Little-endian loads from unaligned table bytes (ACPI is little-endian, tables are packed).
[[nodiscard]] inline uint16_t load_u16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] | (p[1] << 8));
}
[[nodiscard]] inline uint32_t load_u32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
[[nodiscard]] inline uint64_t load_u64(const uint8_t* p) {
  return static_cast<uint64_t>(load_u32(p)) | (static_cast<uint64_t>(load_u32(p + 4)) << 32);
}

// True when the bytes sum to zero modulo 256 (ACPI 6.5 §5.2.5.3, §5.2.6).
[[nodiscard]] bool checksum_ok(const uint8_t* data, size_t length);

// True when the 4 bytes at `bytes` equal the 4 characters of `signature`.
[[nodiscard]] bool signature_is(const void* bytes, const char* signature);

// Checks `size` bytes at `table`: at least a header, the signature equals `signature` (4 chars),
// kSdtHeaderSize <= min_length <= length <= size, and bytes [0, length) sum to zero
// (ACPI 6.5 §5.2.6). On Ok stores the header's length in *length. `min_length` is the table's
// fixed part (36 plus the fields before its entries). Reads nothing outside [table, table + size).
[[nodiscard]] AcpiError check_table(const uint8_t* table, size_t size, const char* signature,
                                    size_t min_length, size_t* length);

// Walks the type/length entry list found in MADT-style tables (and SRAT etc.): each entry starts
// with a type byte and a length byte that covers the whole entry.
class EntryWalker {
 public:
  // Entries occupy [begin, end) of the table. Precondition: begin <= end, both inside the table.
  EntryWalker(const uint8_t* begin, const uint8_t* end) : pos_(begin), end_(end) {}

  // Sets *entry to the next entry and *length to its length, or returns false at the end or on
  // error (then error() says which). Never returns an entry reaching past `end`.
  [[nodiscard]] bool next(const uint8_t** entry, size_t* length);
  [[nodiscard]] AcpiError error() const { return error_; }

 private:
  const uint8_t* pos_;
  const uint8_t* end_;
  AcpiError error_ = AcpiError::Ok;
};

}  // namespace kernel::acpi
