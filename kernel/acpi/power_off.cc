// FADT decoding and the S5 register sequence.
#include "acpi/power_off.h"

namespace kernel::acpi {
namespace {

// FADT field offsets, ACPI 6.5 §5.2.9 table 5.9.
constexpr size_t kFadtDsdt = 40;
constexpr size_t kFadtSmiCommand = 48;
constexpr size_t kFadtAcpiEnable = 52;
constexpr size_t kFadtPm1aControl = 64;
constexpr size_t kFadtPm1bControl = 68;
constexpr size_t kFadtXDsdt = 140;
constexpr size_t kFadtXPm1aControl = 172;
constexpr size_t kFadtXPm1bControl = 184;
constexpr size_t kGasSize = 12;  // Generic Address Structure, ACPI 6.5 §5.2.3.2
constexpr uint8_t kGasSystemIo = 1;

// PM1 control register bits, ACPI 6.5 §4.8.3.2.1 table 4.13.
constexpr uint16_t kSciEnable = 1u << 0;
constexpr unsigned kSleepTypeShift = 10;
constexpr uint16_t kSleepEnable = 1u << 13;

const uint8_t* field(const SdtHeader* table, size_t offset) {
  return reinterpret_cast<const uint8_t*>(table) + offset;
}

// The I/O port of a PM1 control block: the 64-bit GAS when present and in I/O space, else the
// 32-bit legacy field. Ports are 16 bits; anything larger is rejected.
uint16_t control_port(const SdtHeader* fadt, size_t gas_offset, size_t legacy_offset) {
  if (fadt->length >= gas_offset + kGasSize) {
    const uint8_t space = *field(fadt, gas_offset);
    const uint64_t address = load_u64(field(fadt, gas_offset + 4));
    if (address != 0 && space == kGasSystemIo && address <= 0xFFFF) {
      return static_cast<uint16_t>(address);
    }
  }
  const uint32_t legacy = load_u32(field(fadt, legacy_offset));
  return legacy <= 0xFFFF ? static_cast<uint16_t>(legacy) : 0;
}

}  // namespace

AcpiError plan_power_off(const AcpiTables& tables, PhysicalMemory& memory, PowerOffPlan* out) {
  const SdtHeader* fadt = nullptr;
  if (const AcpiError error = tables.find("FACP", 0, &fadt); error != AcpiError::Ok) {
    return error;
  }
  if (fadt->length < kFadtPm1bControl + 4) return AcpiError::FadtTooShort;

  uint64_t dsdt_address = 0;
  if (fadt->length >= kFadtXDsdt + 8) dsdt_address = load_u64(field(fadt, kFadtXDsdt));
  if (dsdt_address == 0) dsdt_address = load_u32(field(fadt, kFadtDsdt));
  if (dsdt_address == 0) return AcpiError::NoDsdt;
  const SdtHeader* dsdt = nullptr;
  if (const AcpiError error = map_table(memory, dsdt_address, &dsdt); error != AcpiError::Ok) {
    return error;
  }
  if (!signature_is(dsdt->signature, "DSDT")) return AcpiError::BadDsdtSignature;

  PowerOffPlan plan{};
  const auto* aml = reinterpret_cast<const uint8_t*>(dsdt) + sizeof(SdtHeader);
  if (const AcpiError error =
          find_s5_sleep_types(aml, dsdt->length - sizeof(SdtHeader), &plan.sleep_types);
      error != AcpiError::Ok) {
    return error;
  }
  plan.pm1a_control = control_port(fadt, kFadtXPm1aControl, kFadtPm1aControl);
  plan.pm1b_control = control_port(fadt, kFadtXPm1bControl, kFadtPm1bControl);
  if (plan.pm1a_control == 0) return AcpiError::NoPm1Control;
  const uint32_t smi = load_u32(field(fadt, kFadtSmiCommand));
  plan.smi_command = smi <= 0xFFFF ? static_cast<uint16_t>(smi) : 0;
  plan.acpi_enable = *field(fadt, kFadtAcpiEnable);
  *out = plan;
  return AcpiError::Ok;
}

void execute_power_off(IoPorts& ports, const PowerOffPlan& plan) {
  // ACPI 6.5 §16.3.1: the OS enables ACPI mode by writing ACPI_ENABLE to SMI_CMD and waiting for
  // SCI_EN. OVMF usually leaves it enabled; the wait is bounded either way.
  if ((ports.read16(plan.pm1a_control) & kSciEnable) == 0 && plan.smi_command != 0 &&
      plan.acpi_enable != 0) {
    ports.write8(plan.smi_command, plan.acpi_enable);
    for (int spin = 0; spin < 1000000; ++spin) {
      if ((ports.read16(plan.pm1a_control) & kSciEnable) != 0) break;
    }
  }
  ports.write16(plan.pm1a_control,
                static_cast<uint16_t>((plan.sleep_types.a << kSleepTypeShift) | kSleepEnable));
  if (plan.pm1b_control != 0) {
    ports.write16(plan.pm1b_control,
                  static_cast<uint16_t>((plan.sleep_types.b << kSleepTypeShift) | kSleepEnable));
  }
}

}  // namespace kernel::acpi
