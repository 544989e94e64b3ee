// ACPI S5 soft-off: locate PM1 control blocks and SLP_TYP values, then write SLP_EN (ACPI 6.5
// §16.1.7).
#pragma once

#include <stdint.h>

#include "acpi/aml_s5.h"
#include "acpi/tables.h"
#include "arch/io_port.h"

namespace kernel::acpi {

struct PowerOffPlan {
  uint16_t pm1a_control;  // I/O port of PM1a_CNT
  uint16_t pm1b_control;  // 0 when absent
  SleepTypes sleep_types;
  uint16_t smi_command;  // SMI_CMD port, 0 on hardware-reduced/ACPI-only systems
  uint8_t acpi_enable;   // value written to SMI_CMD to hand ACPI to the OS
};

// Gathers everything needed to enter S5 from the FADT and the DSDT. No side effects.
[[nodiscard]] AcpiError plan_power_off(const AcpiTables& tables, PhysicalMemory& memory,
                                       PowerOffPlan* out);

// Enables ACPI mode if the firmware left it off (SCI_EN clear), then writes
// SLP_TYPx << 10 | SLP_EN to PM1a_CNT (and PM1b_CNT). Returns only if the machine is still on.
void execute_power_off(IoPorts& ports, const PowerOffPlan& plan);

}  // namespace kernel::acpi
