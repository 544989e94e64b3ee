// ACPI table discovery: RSDP -> XSDT/RSDT -> tables by signature, with checksum and length checks.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "acpi/table_check.h"

namespace kernel::acpi {

// The seam to physical memory: the kernel reads through the HHDM, tests through a fake.
class PhysicalMemory {
 public:
  // Returns a readable pointer to [physical, physical+length), or nullptr if not readable.
  virtual const uint8_t* map(uint64_t physical, uint64_t length) = 0;

 protected:
  ~PhysicalMemory() = default;
};

// Maps a whole table at `physical` after checking its length and checksum.
[[nodiscard]] AcpiError map_table(PhysicalMemory& memory, uint64_t physical, const SdtHeader** out);

class AcpiTables {
 public:
  // Validates the RSDP (ACPI 6.5 §5.2.5.3) and the root table it names: the XSDT for
  // revision >= 2 with a non-zero XsdtAddress, the RSDT otherwise.
  [[nodiscard]] static AcpiError open(PhysicalMemory& memory, uint64_t rsdp_physical,
                                      AcpiTables* out);

  // The `index`-th valid table with `signature`, e.g. "FACP". Tables with bad checksums are
  // skipped.
  [[nodiscard]] AcpiError find(const char signature[4], size_t index, const SdtHeader** out) const;

  [[nodiscard]] uint8_t revision() const { return revision_; }
  [[nodiscard]] bool uses_xsdt() const { return entry_size_ == 8; }
  [[nodiscard]] size_t table_count() const { return entry_count_; }
  [[nodiscard]] uint64_t entry(size_t i) const;

 private:
  PhysicalMemory* memory_ = nullptr;
  const SdtHeader* root_ = nullptr;
  size_t entry_size_ = 0;  // 8 for the XSDT, 4 for the RSDT
  size_t entry_count_ = 0;
  uint8_t revision_ = 0;
};

}  // namespace kernel::acpi
