// Finds the \_S5_ sleep-type package in DSDT AML without an interpreter (ACPI 6.5 §7.4.2, §20).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "acpi/tables.h"

namespace kernel::acpi {

struct SleepTypes {
  uint8_t a;  // SLP_TYPa for PM1a_CNT
  uint8_t b;  // SLP_TYPb for PM1b_CNT
};

// Scans AML bytes for `NameOp "_S5_" PackageOp PkgLength NumElements ...` (optionally with a
// root prefix '\') and decodes the first two elements when they are integer constants
// (ZeroOp, OneOp, BytePrefix, WordPrefix, DWordPrefix). Never reads outside [aml, aml+length).
[[nodiscard]] AcpiError find_s5_sleep_types(const uint8_t* aml, size_t length, SleepTypes* out);

}  // namespace kernel::acpi
