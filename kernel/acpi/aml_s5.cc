// \_S5_ package scanner.
#include "acpi/aml_s5.h"

namespace kernel::acpi {
namespace {

// AML opcodes, ACPI 6.5 §20.2.
constexpr uint8_t kNameOp = 0x08;
constexpr uint8_t kRootChar = '\\';
constexpr uint8_t kPackageOp = 0x12;
constexpr uint8_t kZeroOp = 0x00;
constexpr uint8_t kOneOp = 0x01;
constexpr uint8_t kBytePrefix = 0x0A;
constexpr uint8_t kWordPrefix = 0x0B;
constexpr uint8_t kDWordPrefix = 0x0C;

class Cursor {
 public:
  Cursor(const uint8_t* data, size_t length, size_t pos)
      : data_(data), length_(length), pos_(pos) {}
  [[nodiscard]] bool byte(uint8_t* out) {
    if (pos_ >= length_) return false;
    *out = data_[pos_++];
    return true;
  }
  [[nodiscard]] bool skip(size_t n) {
    if (n > length_ - pos_) return false;
    pos_ += n;
    return true;
  }

 private:
  const uint8_t* data_;
  size_t length_;
  size_t pos_;
};

// ACPI 6.5 §20.2.4 PkgLength: bits 7-6 of the lead byte count the bytes that follow.
bool skip_pkg_length(Cursor& cursor) {
  uint8_t lead;
  if (!cursor.byte(&lead)) return false;
  return cursor.skip(lead >> 6);
}

bool read_integer(Cursor& cursor, uint64_t* out) {
  uint8_t op;
  if (!cursor.byte(&op)) return false;
  size_t bytes = 0;
  switch (op) {
    case kZeroOp: *out = 0; return true;
    case kOneOp: *out = 1; return true;
    case kBytePrefix: bytes = 1; break;
    case kWordPrefix: bytes = 2; break;
    case kDWordPrefix: bytes = 4; break;
    default: return false;  // not a constant we can decode without an interpreter
  }
  uint64_t value = 0;
  for (size_t i = 0; i < bytes; ++i) {
    uint8_t b;
    if (!cursor.byte(&b)) return false;
    value |= static_cast<uint64_t>(b) << (8 * i);
  }
  *out = value;
  return true;
}

}  // namespace

AcpiError find_s5_sleep_types(const uint8_t* aml, size_t length, SleepTypes* out) {
  bool saw_name = false;
  for (size_t i = 1; i + 4 <= length; ++i) {
    if (aml[i] != '_' || aml[i + 1] != 'S' || aml[i + 2] != '5' || aml[i + 3] != '_') continue;
    const bool named =
        aml[i - 1] == kNameOp || (aml[i - 1] == kRootChar && i >= 2 && aml[i - 2] == kNameOp);
    if (!named) continue;  // a reference to _S5_, not its definition
    saw_name = true;
    Cursor cursor(aml, length, i + 4);
    uint8_t op;
    uint8_t count;
    if (!cursor.byte(&op) || op != kPackageOp) continue;
    if (!skip_pkg_length(cursor) || !cursor.byte(&count) || count == 0) return AcpiError::BadS5;
    uint64_t a;
    uint64_t b;
    if (!read_integer(cursor, &a)) return AcpiError::BadS5;
    // Some firmware packs both values in one element; SLP_TYPx is 3 bits (ACPI 6.5 §4.8.3.2.1).
    if (count >= 2) {
      if (!read_integer(cursor, &b)) return AcpiError::BadS5;
    } else {
      b = a;
    }
    if (a > 7 || b > 7) return AcpiError::BadS5;
    out->a = static_cast<uint8_t>(a);
    out->b = static_cast<uint8_t>(b);
    return AcpiError::Ok;
  }
  return saw_name ? AcpiError::BadS5 : AcpiError::NoS5;
}

}  // namespace kernel::acpi
