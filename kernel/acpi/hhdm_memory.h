// acpi::PhysicalMemory over the loader's direct map (HHDM) of physical memory.
#pragma once

#include <stdint.h>

#include "acpi/tables.h"
#include "mu/bootinfo.h"

namespace kernel::acpi {

// Physical memory below `mapped_end` through mu::kHhdmBase (docs/boot-protocol.md: the loader
// maps at least [0, 4 GiB) and every memory-map region above).
class HhdmMemory final : public PhysicalMemory {
 public:
  explicit HhdmMemory(uint64_t mapped_end) : mapped_end_(mapped_end) {}
  const uint8_t* map(uint64_t physical, uint64_t length) override {
    if (physical > mapped_end_ || length > mapped_end_ - physical) return nullptr;
    return reinterpret_cast<const uint8_t*>(mu::kHhdmBase + physical);
  }

 private:
  uint64_t mapped_end_;
};

}  // namespace kernel::acpi
