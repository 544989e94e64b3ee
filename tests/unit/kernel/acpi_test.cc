// Host tests of ACPI table discovery, the \_S5_ scanner and the S5 register sequence.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "acpi/aml_s5.h"
#include "acpi/power_off.h"
#include "acpi/tables.h"

namespace {

using kernel::acpi::AcpiError;
using kernel::acpi::AcpiTables;
using kernel::acpi::SleepTypes;

// Simulated physical memory: [0, size) readable.
class FakeMemory final : public kernel::acpi::PhysicalMemory {
 public:
  explicit FakeMemory(size_t size) : bytes(size, 0) {}
  const uint8_t* map(uint64_t physical, uint64_t length) override {
    if (physical > bytes.size() || length > bytes.size() - physical) return nullptr;
    return bytes.data() + physical;
  }
  template <typename T>
  void put(uint64_t at, T value) {
    std::memcpy(&bytes[at], &value, sizeof(T));
  }
  void put_bytes(uint64_t at, const std::vector<uint8_t>& data) {
    std::memcpy(&bytes[at], data.data(), data.size());
  }
  void fix_checksum(uint64_t start, size_t length, size_t checksum_offset) {
    bytes[start + checksum_offset] = 0;
    uint8_t sum = 0;
    for (size_t i = 0; i < length; ++i) sum = static_cast<uint8_t>(sum + bytes[start + i]);
    bytes[start + checksum_offset] = static_cast<uint8_t>(-sum);
  }
  // Writes an SDT header with `length` and a valid checksum over the body already in place.
  void table(uint64_t at, const char* signature, uint32_t length) {
    std::memcpy(&bytes[at], signature, 4);
    put<uint32_t>(at + 4, length);
    bytes[at + 8] = 2;
    fix_checksum(at, length, 9);
  }
  std::vector<uint8_t> bytes;
};

constexpr uint64_t kRsdp = 0x100;
constexpr uint64_t kXsdt = 0x200;
constexpr uint64_t kRsdt = 0x300;
constexpr uint64_t kOther = 0x400;
constexpr uint64_t kFadt = 0x1000;
constexpr uint64_t kDsdt = 0x2000;

// AML for: Name(\_S5_, Package(4){0x05, 0x05, Zero, Zero}) preceded by unrelated bytes, one of
// which is a reference to _S5_ (no NameOp), as in a method body.
std::vector<uint8_t> s5_aml() {
  return {0x10, 0x05, '_', 'S', '5', '_', 0x00,  // not a NameOp before it
          0x08, '\\', '_', 'S', '5', '_', 0x12, 0x0A, 0x04, 0x0A, 0x05, 0x0A, 0x05, 0x00, 0x00};
}

FakeMemory make_platform(bool with_xsdt, const std::vector<uint8_t>& aml) {
  FakeMemory m(0x4000);
  // RSDP: revision 2, RSDT and XSDT addresses, length 36.
  std::memcpy(&m.bytes[kRsdp], "RSD PTR ", 8);
  m.bytes[kRsdp + 15] = 2;
  m.put<uint32_t>(kRsdp + 16, kRsdt);
  m.put<uint32_t>(kRsdp + 20, 36);
  m.put<uint64_t>(kRsdp + 24, with_xsdt ? kXsdt : 0);
  m.fix_checksum(kRsdp, 20, 8);
  m.fix_checksum(kRsdp, 36, 32);
  // An unrelated table, then the FADT, in both roots.
  m.table(kOther, "APIC", 44);
  m.put<uint64_t>(kXsdt + 36, kOther);
  m.put<uint64_t>(kXsdt + 44, kFadt);
  m.table(kXsdt, "XSDT", 52);
  m.put<uint32_t>(kRsdt + 36, kOther);
  m.put<uint32_t>(kRsdt + 40, kFadt);
  m.table(kRsdt, "RSDT", 44);
  // FADT (ACPI 6.5 table 5.9): DSDT, SMI_CMD, ACPI_ENABLE, PM1a/PM1b control, X_DSDT, X_PM1a.
  m.put<uint32_t>(kFadt + 40, kDsdt);
  m.put<uint32_t>(kFadt + 48, 0xB2);
  m.bytes[kFadt + 52] = 0xF1;
  m.put<uint32_t>(kFadt + 64, 0x604);
  m.put<uint32_t>(kFadt + 68, 0);
  m.put<uint64_t>(kFadt + 140, kDsdt);
  m.bytes[kFadt + 172] = 1;  // X_PM1a_CNT_BLK in system I/O space
  m.bytes[kFadt + 173] = 16;
  m.put<uint64_t>(kFadt + 176, 0x604);
  m.table(kFadt, "FACP", 276);
  m.put_bytes(kDsdt + 36, aml);
  m.table(kDsdt, "DSDT", static_cast<uint32_t>(36 + aml.size()));
  return m;
}

TEST(AcpiTables, OpensXsdtAndFindsTables) {
  FakeMemory m = make_platform(true, s5_aml());
  AcpiTables tables;
  ASSERT_EQ(AcpiTables::open(m, kRsdp, &tables), AcpiError::Ok);
  EXPECT_TRUE(tables.uses_xsdt());
  EXPECT_EQ(tables.table_count(), 2u);
  const kernel::acpi::SdtHeader* fadt = nullptr;
  ASSERT_EQ(tables.find("FACP", 0, &fadt), AcpiError::Ok);
  EXPECT_EQ(reinterpret_cast<const uint8_t*>(fadt), m.bytes.data() + kFadt);
  EXPECT_EQ(tables.find("FACP", 1, &fadt), AcpiError::TableNotFound);
  EXPECT_EQ(tables.find("MCFG", 0, &fadt), AcpiError::TableNotFound);
}

TEST(AcpiTables, FallsBackToRsdt) {
  FakeMemory m = make_platform(false, s5_aml());
  AcpiTables tables;
  ASSERT_EQ(AcpiTables::open(m, kRsdp, &tables), AcpiError::Ok);
  EXPECT_FALSE(tables.uses_xsdt());
  const kernel::acpi::SdtHeader* fadt = nullptr;
  EXPECT_EQ(tables.find("FACP", 0, &fadt), AcpiError::Ok);
}

TEST(AcpiTables, RejectsCorruption) {
  AcpiTables tables;
  {
    FakeMemory m = make_platform(true, s5_aml());
    EXPECT_EQ(AcpiTables::open(m, 0, &tables), AcpiError::NoRsdp);
    EXPECT_EQ(AcpiTables::open(m, 0x10000, &tables), AcpiError::Unmapped);
    m.bytes[kRsdp + 1] = 'X';
    EXPECT_EQ(AcpiTables::open(m, kRsdp, &tables), AcpiError::BadRsdpSignature);
  }
  {
    FakeMemory m = make_platform(true, s5_aml());
    m.bytes[kRsdp + 9] ^= 1;  // OEM id: breaks the 20-byte checksum
    EXPECT_EQ(AcpiTables::open(m, kRsdp, &tables), AcpiError::BadRsdpChecksum);
  }
  {
    FakeMemory m = make_platform(true, s5_aml());
    m.bytes[kXsdt + 20] ^= 1;
    EXPECT_EQ(AcpiTables::open(m, kRsdp, &tables), AcpiError::BadTableChecksum);
  }
  {
    FakeMemory m = make_platform(true, s5_aml());
    m.put<uint32_t>(kXsdt + 4, 0x100000);  // runs past the end of memory
    EXPECT_EQ(AcpiTables::open(m, kRsdp, &tables), AcpiError::Unmapped);
    m.put<uint32_t>(kXsdt + 4, 10);
    EXPECT_EQ(AcpiTables::open(m, kRsdp, &tables), AcpiError::BadTableLength);
  }
  {
    // A FADT with a bad checksum is skipped, so it is not found.
    FakeMemory m = make_platform(true, s5_aml());
    m.bytes[kFadt + 100] ^= 1;
    ASSERT_EQ(AcpiTables::open(m, kRsdp, &tables), AcpiError::Ok);
    const kernel::acpi::SdtHeader* fadt = nullptr;
    EXPECT_EQ(tables.find("FACP", 0, &fadt), AcpiError::TableNotFound);
  }
}

TEST(AmlS5, DecodesConstants) {
  SleepTypes types{};
  const auto aml = s5_aml();
  ASSERT_EQ(kernel::acpi::find_s5_sleep_types(aml.data(), aml.size(), &types), AcpiError::Ok);
  EXPECT_EQ(types.a, 5);
  EXPECT_EQ(types.b, 5);
  // QEMU's form: Name(_S5_, Package(4){Zero, Zero, Zero, Zero}) without the root prefix.
  const std::vector<uint8_t> qemu = {0x08, '_',  'S',  '5',  '_',  0x12,
                                     0x06, 0x04, 0x00, 0x00, 0x00, 0x00};
  ASSERT_EQ(kernel::acpi::find_s5_sleep_types(qemu.data(), qemu.size(), &types), AcpiError::Ok);
  EXPECT_EQ(types.a, 0);
  EXPECT_EQ(types.b, 0);
  // Two-byte PkgLength, One and WordPrefix elements.
  const std::vector<uint8_t> mixed = {0x08, '_',  'S',  '5',  '_',  0x12, 0x40,
                                      0x01, 0x02, 0x01, 0x0B, 0x07, 0x00};
  ASSERT_EQ(kernel::acpi::find_s5_sleep_types(mixed.data(), mixed.size(), &types), AcpiError::Ok);
  EXPECT_EQ(types.a, 1);
  EXPECT_EQ(types.b, 7);
  // One element: used for both.
  const std::vector<uint8_t> single = {0x08, '_', 'S', '5', '_', 0x12, 0x03, 0x01, 0x0A, 0x03};
  ASSERT_EQ(kernel::acpi::find_s5_sleep_types(single.data(), single.size(), &types), AcpiError::Ok);
  EXPECT_EQ(types.a, 3);
  EXPECT_EQ(types.b, 3);
}

TEST(AmlS5, RejectsMissingOrMalformed) {
  SleepTypes types{};
  const std::vector<uint8_t> none = {0x08, '_', 'S', '4', '_', 0x12, 0x06, 0x04, 0x00, 0x00};
  EXPECT_EQ(kernel::acpi::find_s5_sleep_types(none.data(), none.size(), &types), AcpiError::NoS5);
  // A method call as the element cannot be decoded without an interpreter.
  const std::vector<uint8_t> method = {0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x14, 0x00};
  EXPECT_EQ(kernel::acpi::find_s5_sleep_types(method.data(), method.size(), &types),
            AcpiError::BadS5);
  // Truncated just after the BytePrefix.
  const std::vector<uint8_t> cut = {0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0A};
  EXPECT_EQ(kernel::acpi::find_s5_sleep_types(cut.data(), cut.size(), &types), AcpiError::BadS5);
  // Out-of-range SLP_TYP (3 bits).
  const std::vector<uint8_t> big = {0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0A, 0x08, 0x00};
  EXPECT_EQ(kernel::acpi::find_s5_sleep_types(big.data(), big.size(), &types), AcpiError::BadS5);
  // Every prefix of a valid encoding is handled without reading past the end.
  const auto aml = s5_aml();
  for (size_t n = 0; n < aml.size(); ++n) {
    std::vector<uint8_t> prefix(aml.begin(), aml.begin() + static_cast<long>(n));
    (void)kernel::acpi::find_s5_sleep_types(prefix.data(), prefix.size(), &types);
  }
}

class FakePorts final : public kernel::IoPorts {
 public:
  uint8_t read8(uint16_t) override { return 0xFF; }
  uint16_t read16(uint16_t port) override {
    log += "r16 " + std::to_string(port) + "\n";
    return pm1_value;
  }
  uint32_t read32(uint16_t) override { return ~0u; }
  void write8(uint16_t port, uint8_t value) override {
    log += "w8 " + std::to_string(port) + " " + std::to_string(value) + "\n";
    pm1_value |= 1;  // the "firmware" enables SCI
  }
  void write16(uint16_t port, uint16_t value) override {
    log += "w16 " + std::to_string(port) + " " + std::to_string(value) + "\n";
  }
  void write32(uint16_t, uint32_t) override {}
  std::string log;
  uint16_t pm1_value = 0;
};

TEST(PowerOff, PlansFromFadtAndDsdt) {
  FakeMemory m = make_platform(true, s5_aml());
  AcpiTables tables;
  ASSERT_EQ(AcpiTables::open(m, kRsdp, &tables), AcpiError::Ok);
  kernel::acpi::PowerOffPlan plan{};
  ASSERT_EQ(kernel::acpi::plan_power_off(tables, m, &plan), AcpiError::Ok);
  EXPECT_EQ(plan.pm1a_control, 0x604);
  EXPECT_EQ(plan.pm1b_control, 0);
  EXPECT_EQ(plan.sleep_types.a, 5);
  EXPECT_EQ(plan.smi_command, 0xB2);
  EXPECT_EQ(plan.acpi_enable, 0xF1);

  FakePorts ports;
  kernel::acpi::execute_power_off(ports, plan);
  // SCI_EN was clear: ACPI_ENABLE to SMI_CMD, poll, then SLP_TYP=5 | SLP_EN.
  EXPECT_EQ(ports.log, "r16 1540\nw8 178 241\nr16 1540\nw16 1540 " +
                           std::to_string((5 << 10) | (1 << 13)) + "\n");
}

TEST(PowerOff, SkipsAcpiEnableWhenAlreadyOn) {
  FakeMemory m = make_platform(true, s5_aml());
  AcpiTables tables;
  ASSERT_EQ(AcpiTables::open(m, kRsdp, &tables), AcpiError::Ok);
  kernel::acpi::PowerOffPlan plan{};
  ASSERT_EQ(kernel::acpi::plan_power_off(tables, m, &plan), AcpiError::Ok);
  plan.pm1b_control = 0x640;
  FakePorts ports;
  ports.pm1_value = 1;
  kernel::acpi::execute_power_off(ports, plan);
  const std::string value = std::to_string((5 << 10) | (1 << 13));
  EXPECT_EQ(ports.log, "r16 1540\nw16 1540 " + value + "\nw16 1600 " + value + "\n");
}

TEST(PowerOff, ReportsMissingPieces) {
  {
    FakeMemory m = make_platform(true, {0x00, 0x01});
    AcpiTables tables;
    ASSERT_EQ(AcpiTables::open(m, kRsdp, &tables), AcpiError::Ok);
    kernel::acpi::PowerOffPlan plan{};
    EXPECT_EQ(kernel::acpi::plan_power_off(tables, m, &plan), AcpiError::NoS5);
  }
  {
    FakeMemory m = make_platform(true, s5_aml());
    m.bytes[kDsdt + 40] ^= 1;  // breaks the DSDT checksum
    AcpiTables tables;
    ASSERT_EQ(AcpiTables::open(m, kRsdp, &tables), AcpiError::Ok);
    kernel::acpi::PowerOffPlan plan{};
    EXPECT_EQ(kernel::acpi::plan_power_off(tables, m, &plan), AcpiError::BadTableChecksum);
  }
  {
    FakeMemory m = make_platform(true, s5_aml());
    m.put<uint64_t>(kFadt + 176, 0);  // no X_PM1a, no legacy PM1a
    m.put<uint32_t>(kFadt + 64, 0);
    m.table(kFadt, "FACP", 276);
    AcpiTables tables;
    ASSERT_EQ(AcpiTables::open(m, kRsdp, &tables), AcpiError::Ok);
    kernel::acpi::PowerOffPlan plan{};
    EXPECT_EQ(kernel::acpi::plan_power_off(tables, m, &plan), AcpiError::NoPm1Control);
  }
}

}  // namespace
