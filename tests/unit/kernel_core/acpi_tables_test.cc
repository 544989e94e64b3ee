// Tests for the ACPI header check and the MADT, MCFG and HPET parsers over built tables.
#include "acpi/hpet.h"
#include "acpi/madt.h"
#include "acpi/mcfg.h"
#include "acpi/table_check.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace kernel::acpi {
namespace {

// Builds a table byte by byte, as firmware lays it out: header, fixed fields, entries.
class TableBuilder {
 public:
  explicit TableBuilder(const char* signature) : bytes_(kSdtHeaderSize, 0) {
    for (int i = 0; i < 4; ++i) bytes_[i] = static_cast<uint8_t>(signature[i]);
    bytes_[8] = 1;  // revision
    const char* oem = "BOCHS BXPC    ";
    for (int i = 0; i < 14; ++i) bytes_[10 + i] = static_cast<uint8_t>(oem[i]);
  }
  TableBuilder& u8(uint8_t v) {
    bytes_.push_back(v);
    return *this;
  }
  TableBuilder& u16(uint16_t v) { return u8(v & 0xFF).u8(v >> 8); }
  TableBuilder& u32(uint32_t v) { return u16(v & 0xFFFF).u16(v >> 16); }
  TableBuilder& u64(uint64_t v) { return u32(v & 0xFFFFFFFF).u32(v >> 32); }

  // Sets length and checksum. The result has exactly `length` bytes, so ASan reports any read
  // past the table.
  std::vector<uint8_t> finish() const { return finish_with_length(bytes_.size()); }
  std::vector<uint8_t> finish_with_length(size_t length) const {
    std::vector<uint8_t> out = bytes_;
    store_u32(out, 4, static_cast<uint32_t>(length));
    fix_checksum(out);
    return out;
  }
  static void store_u32(std::vector<uint8_t>& t, size_t off, uint32_t v) {
    for (int i = 0; i < 4; ++i) t[off + i] = static_cast<uint8_t>(v >> (8 * i));
  }
  static void fix_checksum(std::vector<uint8_t>& t) {
    t[9] = 0;
    uint8_t sum = 0;
    size_t length = std::min<size_t>(t.size(), load_u32(t.data() + 4));
    for (size_t i = 0; i < length; ++i) sum = static_cast<uint8_t>(sum + t[i]);
    t[9] = static_cast<uint8_t>(-sum);
  }

 private:
  std::vector<uint8_t> bytes_;
};

// MADT entries (ACPI 6.5 Table 5.21 layouts).
void lapic(TableBuilder& b, uint8_t uid, uint8_t apic_id, uint32_t flags) {
  b.u8(0).u8(8).u8(uid).u8(apic_id).u32(flags);
}
void ioapic(TableBuilder& b, uint8_t id, uint32_t address, uint32_t gsi_base) {
  b.u8(1).u8(12).u8(id).u8(0).u32(address).u32(gsi_base);
}
void source_override(TableBuilder& b, uint8_t irq, uint32_t gsi, uint16_t flags) {
  b.u8(2).u8(10).u8(0).u8(irq).u32(gsi).u16(flags);
}
void lapic_nmi(TableBuilder& b, uint8_t uid, uint16_t flags, uint8_t lint) {
  b.u8(4).u8(6).u8(uid).u16(flags).u8(lint);
}

TableBuilder madt_start() {
  TableBuilder b("APIC");
  b.u32(0xFEE00000).u32(1);  // LAPIC address, PCAT_COMPAT
  return b;
}

// What QEMU 7.2 q35 with -smp 2 provides.
TableBuilder q35_madt() {
  TableBuilder b = madt_start();
  lapic(b, 0, 0, 1);
  lapic(b, 1, 1, 1);
  ioapic(b, 0, 0xFEC00000, 0);
  source_override(b, 0, 2, 0x0000);  // IRQ0 (PIT) -> GSI2, conforming
  source_override(b, 5, 5, 0x000D);  // level, active high
  source_override(b, 9, 9, 0x000D);  // SCI: level, active high
  source_override(b, 10, 10, 0x000D);
  source_override(b, 11, 11, 0x000D);
  lapic_nmi(b, 0xFF, 0, 1);  // all processors, LINT1
  return b;
}

std::unique_ptr<MadtInfo> parse(const std::vector<uint8_t>& t, AcpiError expected) {
  auto info = std::make_unique<MadtInfo>();
  EXPECT_EQ(parse_madt(t.data(), t.size(), info.get()), expected);
  return info;
}

TEST(AcpiHeader, Checks) {
  std::vector<uint8_t> t = q35_madt().finish();
  size_t length = 0;
  EXPECT_EQ(check_table(t.data(), t.size(), "APIC", 44, &length), AcpiError::Ok);
  EXPECT_EQ(length, t.size());
  EXPECT_EQ(check_table(nullptr, 100, "APIC", 44, &length), AcpiError::NullTable);
  EXPECT_EQ(check_table(t.data(), 35, "APIC", 44, &length), AcpiError::BufferTooSmall);
  EXPECT_EQ(check_table(t.data(), t.size(), "FACP", 44, &length), AcpiError::BadSignature);
  EXPECT_EQ(check_table(t.data(), t.size() - 1, "APIC", 44, &length), AcpiError::LengthPastBuffer);
  EXPECT_EQ(check_table(t.data(), t.size(), "APIC", t.size() + 1, &length),
            AcpiError::LengthTooSmall);
  t[20] ^= 0x40;
  EXPECT_EQ(check_table(t.data(), t.size(), "APIC", 44, &length), AcpiError::BadTableChecksum);
  EXPECT_STREQ(acpi_error_string(AcpiError::BadTableChecksum), "bad table checksum");
}

TEST(AcpiHeader, LengthBelowHeaderRefused) {
  std::vector<uint8_t> t = TableBuilder("APIC").finish_with_length(20);
  size_t length = 0;
  EXPECT_EQ(check_table(t.data(), t.size(), "APIC", 0, &length), AcpiError::LengthTooSmall);
}

TEST(Madt, Q35Table) {
  std::vector<uint8_t> t = q35_madt().finish();
  auto m = parse(t, AcpiError::Ok);
  EXPECT_EQ(m->lapic_address, 0xFEE00000u);
  EXPECT_FALSE(m->lapic_address_override);
  EXPECT_TRUE(m->pcat_compat);
  EXPECT_FALSE(m->truncated);
  ASSERT_EQ(m->cpu_count, 2u);
  EXPECT_EQ(m->cpus[1].apic_id, 1u);
  EXPECT_EQ(m->cpus[1].acpi_uid, 1u);
  EXPECT_TRUE(m->cpus[1].enabled);
  EXPECT_FALSE(m->cpus[1].x2apic);
  ASSERT_EQ(m->ioapic_count, 1u);
  EXPECT_EQ(m->ioapics[0].address, 0xFEC00000u);
  EXPECT_EQ(m->ioapics[0].gsi_base, 0u);
  ASSERT_EQ(m->override_count, 5u);
  EXPECT_EQ(m->overrides[0].source_irq, 0);
  EXPECT_EQ(m->overrides[0].gsi, 2u);
  EXPECT_EQ(m->overrides[0].polarity, Polarity::Conforms);
  EXPECT_EQ(m->overrides[2].trigger, Trigger::Level);
  EXPECT_EQ(m->overrides[2].polarity, Polarity::ActiveHigh);
  ASSERT_EQ(m->lapic_nmi_count, 1u);
  EXPECT_TRUE(m->lapic_nmis[0].all_processors);
  EXPECT_EQ(m->lapic_nmis[0].lint, 1);
}

TEST(Madt, IrqRouting) {
  std::vector<uint8_t> t = q35_madt().finish();
  auto m = parse(t, AcpiError::Ok);
  IsaIrqRoute r0 = irq_to_gsi(*m, 0);
  EXPECT_EQ(r0.gsi, 2u);
  EXPECT_FALSE(r0.level_triggered);  // conforming on ISA = edge, active high
  EXPECT_FALSE(r0.active_low);
  IsaIrqRoute r9 = irq_to_gsi(*m, 9);
  EXPECT_EQ(r9.gsi, 9u);
  EXPECT_TRUE(r9.level_triggered);
  EXPECT_FALSE(r9.active_low);
  IsaIrqRoute r1 = irq_to_gsi(*m, 1);  // keyboard: no override, identity
  EXPECT_EQ(r1.gsi, 1u);
  EXPECT_FALSE(r1.level_triggered);
  EXPECT_EQ(ioapic_for_gsi(*m, 2), &m->ioapics[0]);
}

TEST(Madt, ActiveLowOverrideAndSecondIoApic) {
  TableBuilder b = madt_start();
  lapic(b, 0, 0, 1);
  ioapic(b, 0, 0xFEC00000, 0);
  ioapic(b, 1, 0xFEC01000, 24);
  source_override(b, 9, 20, 0x000F);  // level, active low (typical real-hardware SCI)
  std::vector<uint8_t> t = b.finish();
  auto m = parse(t, AcpiError::Ok);
  IsaIrqRoute r = irq_to_gsi(*m, 9);
  EXPECT_EQ(r.gsi, 20u);
  EXPECT_TRUE(r.active_low);
  EXPECT_TRUE(r.level_triggered);
  EXPECT_EQ(ioapic_for_gsi(*m, 23)->id, 0);
  EXPECT_EQ(ioapic_for_gsi(*m, 24)->id, 1);
  EXPECT_EQ(ioapic_for_gsi(*m, 100)->id, 1);
}

TEST(Madt, X2ApicAddressOverrideAndUnknownTypes) {
  TableBuilder b = madt_start();
  b.u8(9).u8(16).u16(0).u32(300).u32(2).u32(7);             // x2APIC id 300, online capable, uid 7
  b.u8(5).u8(12).u16(0).u64(0x1'FEE0'0000ULL);              // 64-bit LAPIC address override
  b.u8(0x7F).u8(5).u8(1).u8(2).u8(3);                       // unknown type: skipped by length
  b.u8(10).u8(12).u16(0x5).u32(7).u8(0).u8(0).u8(0).u8(0);  // x2APIC NMI for uid 7, LINT0
  std::vector<uint8_t> t = b.finish();
  auto m = parse(t, AcpiError::Ok);
  EXPECT_EQ(m->lapic_address, 0x1'FEE0'0000ULL);
  EXPECT_TRUE(m->lapic_address_override);
  ASSERT_EQ(m->cpu_count, 1u);
  EXPECT_EQ(m->cpus[0].apic_id, 300u);
  EXPECT_EQ(m->cpus[0].acpi_uid, 7u);
  EXPECT_FALSE(m->cpus[0].enabled);
  EXPECT_TRUE(m->cpus[0].online_capable);
  EXPECT_TRUE(m->cpus[0].x2apic);
  ASSERT_EQ(m->lapic_nmi_count, 1u);
  EXPECT_FALSE(m->lapic_nmis[0].all_processors);
  EXPECT_EQ(m->lapic_nmis[0].acpi_uid, 7u);
  EXPECT_EQ(m->lapic_nmis[0].trigger, Trigger::Edge);
}

TEST(Madt, BadChecksumRefused) {
  std::vector<uint8_t> t = q35_madt().finish();
  t[50] ^= 1;  // inside the first LAPIC entry
  auto m = parse(t, AcpiError::BadTableChecksum);
  EXPECT_EQ(m->cpu_count, 0u);
}

TEST(Madt, EntryRunningPastTableRefused) {
  TableBuilder b = q35_madt();
  b.u8(0).u8(8).u8(2).u8(2).u8(1);  // LAPIC entry claiming 8 bytes, only 5 present
  auto m = parse(b.finish(), AcpiError::EntryPastEnd);
  EXPECT_EQ(m->cpu_count, 0u);  // no partial result
  EXPECT_EQ(m->ioapic_count, 0u);
}

TEST(Madt, LoneTrailingByteRefused) {
  TableBuilder b = q35_madt();
  b.u8(0);
  parse(b.finish(), AcpiError::EntryHeaderTruncated);
}

TEST(Madt, ZeroAndOneLengthEntriesRefused) {
  TableBuilder zero = madt_start();
  lapic(zero, 0, 0, 1);
  zero.u8(0).u8(0).u32(0).u16(0);  // would loop forever if accepted
  parse(zero.finish(), AcpiError::EntryLengthInvalid);
  TableBuilder one = madt_start();
  one.u8(1).u8(1).u8(0).u8(0);
  parse(one.finish(), AcpiError::EntryLengthInvalid);
}

TEST(Madt, EntryShorterThanItsTypeRefused) {
  TableBuilder b = madt_start();
  b.u8(1).u8(8).u8(0).u8(0).u32(0xFEC00000);  // IOAPIC needs 12 bytes
  parse(b.finish(), AcpiError::EntryTooShort);
}

TEST(Madt, LengthFieldPastBufferRefused) {
  std::vector<uint8_t> t = q35_madt().finish_with_length(q35_madt().finish().size() + 16);
  parse(t, AcpiError::LengthPastBuffer);
  std::vector<uint8_t> small = madt_start().finish_with_length(40);  // below the 44-byte fixed part
  parse(small, AcpiError::LengthTooSmall);
  std::vector<uint8_t> other = TableBuilder("FACP").u64(0).finish();
  parse(other, AcpiError::BadSignature);
}

TEST(Madt, TooManyEntriesTruncateAndCount) {
  TableBuilder b = madt_start();
  for (int i = 0; i < 70; ++i) lapic(b, static_cast<uint8_t>(i), static_cast<uint8_t>(i), 1);
  for (int i = 0; i < 10; ++i) ioapic(b, static_cast<uint8_t>(i), 0xFEC00000 + i * 0x1000, i * 24);
  for (int i = 0; i < 40; ++i) source_override(b, static_cast<uint8_t>(i % 16), i, 0);
  std::vector<uint8_t> t = b.finish();
  ASSERT_LT(t.size(), 0x10000u);
  auto m = parse(t, AcpiError::Ok);
  EXPECT_TRUE(m->truncated);
  EXPECT_EQ(m->cpu_count, kMaxCpus);
  EXPECT_EQ(m->cpus_seen, 70u);
  EXPECT_EQ(m->cpus[kMaxCpus - 1].apic_id, kMaxCpus - 1);
  EXPECT_EQ(m->ioapic_count, kMaxIoApics);
  EXPECT_EQ(m->ioapics_seen, 10u);
  EXPECT_EQ(m->override_count, kMaxOverrides);
  EXPECT_EQ(m->overrides_seen, 40u);
}

// Random corruption with a recomputed checksum: the parser must return some status without
// reading outside the buffer (ASan aborts the test if it does) and never loop forever.
TEST(Madt, CorruptedTablesNeverReadOutOfBounds) {
  const std::vector<uint8_t> good = q35_madt().finish();
  std::mt19937 rng(1234);
  auto m = std::make_unique<MadtInfo>();
  int refused = 0;
  for (int round = 0; round < 5000; ++round) {
    std::vector<uint8_t> t = good;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < flips; ++i) t[44 + rng() % (t.size() - 44)] = static_cast<uint8_t>(rng());
    size_t cut = good.size() - rng() % 12;  // sometimes shorten the table itself
    t.resize(cut);
    TableBuilder::store_u32(t, 4, static_cast<uint32_t>(cut));
    TableBuilder::fix_checksum(t);
    t.shrink_to_fit();
    if (parse_madt(t.data(), t.size(), m.get()) != AcpiError::Ok) ++refused;
  }
  EXPECT_GT(refused, 0);
}

TableBuilder mcfg_start() {
  TableBuilder b("MCFG");
  b.u64(0);  // reserved
  return b;
}
void ecam_entry(TableBuilder& b, uint64_t base, uint16_t segment, uint8_t start, uint8_t end) {
  b.u64(base).u16(segment).u8(start).u8(end).u32(0);
}

TEST(Mcfg, Q35Table) {
  TableBuilder b = mcfg_start();
  ecam_entry(b, 0xB0000000, 0, 0, 255);
  std::vector<uint8_t> t = b.finish();
  McfgInfo info{};
  ASSERT_EQ(parse_mcfg(t.data(), t.size(), &info), AcpiError::Ok);
  ASSERT_EQ(info.region_count, 1u);
  const EcamRegion& r = info.regions[0];
  EXPECT_EQ(r.base, 0xB0000000u);
  EXPECT_EQ(r.end_bus, 255);
  EXPECT_EQ(ecam_region_size(r), 256u << 20);
  EXPECT_EQ(ecam_address(r, 0, 0, 0, 0), 0xB0000000u);
  EXPECT_EQ(ecam_address(r, 1, 2, 3, 0x10),
            0xB0000000u + (1u << 20) + (2u << 15) + (3u << 12) + 0x10);
  EXPECT_EQ(ecam_address(r, 0, 32, 0, 0), 0u);
  EXPECT_EQ(ecam_address(r, 0, 0, 8, 0), 0u);
  EXPECT_EQ(ecam_address(r, 0, 0, 0, 4096), 0u);
  EXPECT_EQ(ecam_region_for(info, 0, 7), &info.regions[0]);
  EXPECT_EQ(ecam_region_for(info, 1, 7), nullptr);
}

TEST(Mcfg, NonZeroStartBusUsesBusZeroBase) {
  TableBuilder b = mcfg_start();
  ecam_entry(b, 0xE0000000, 1, 0x10, 0x1F);
  std::vector<uint8_t> t = b.finish();
  McfgInfo info{};
  ASSERT_EQ(parse_mcfg(t.data(), t.size(), &info), AcpiError::Ok);
  EXPECT_EQ(ecam_address(info.regions[0], 0x10, 0, 0, 0), 0xE0000000u + (0x10u << 20));
  EXPECT_EQ(ecam_address(info.regions[0], 0x0F, 0, 0, 0), 0u);
  EXPECT_EQ(ecam_address(info.regions[0], 0x20, 0, 0, 0), 0u);
  EXPECT_EQ(ecam_region_size(info.regions[0]), 16u << 20);
  EXPECT_EQ(ecam_region_for(info, 1, 0x0F), nullptr);
}

TEST(Mcfg, MalformedTablesRefused) {
  McfgInfo info{};
  TableBuilder partial = mcfg_start();
  ecam_entry(partial, 0xB0000000, 0, 0, 255);
  partial.u64(0xC0000000);  // half an entry
  std::vector<uint8_t> t = partial.finish();
  EXPECT_EQ(parse_mcfg(t.data(), t.size(), &info), AcpiError::EntryPastEnd);

  TableBuilder reversed = mcfg_start();
  ecam_entry(reversed, 0xB0000000, 0, 0, 255);
  ecam_entry(reversed, 0xC0000000, 1, 9, 3);
  t = reversed.finish();
  EXPECT_EQ(parse_mcfg(t.data(), t.size(), &info), AcpiError::InvalidEntry);
  EXPECT_EQ(info.region_count, 0u);

  TableBuilder unaligned = mcfg_start();
  ecam_entry(unaligned, 0xB0001000, 0, 0, 255);
  t = unaligned.finish();
  EXPECT_EQ(parse_mcfg(t.data(), t.size(), &info), AcpiError::InvalidEntry);

  TableBuilder good = mcfg_start();
  ecam_entry(good, 0xB0000000, 0, 0, 255);
  t = good.finish();
  t[45] ^= 0xFF;
  EXPECT_EQ(parse_mcfg(t.data(), t.size(), &info), AcpiError::BadTableChecksum);
  t = TableBuilder("MCFG").finish();  // no reserved field
  EXPECT_EQ(parse_mcfg(t.data(), t.size(), &info), AcpiError::LengthTooSmall);
}

TEST(Mcfg, TooManyRegionsTruncate) {
  TableBuilder b = mcfg_start();
  for (int i = 0; i < 20; ++i) {
    ecam_entry(b, 0xB0000000ULL + (uint64_t(i) << 28), uint16_t(i), 0, 255);
  }
  std::vector<uint8_t> t = b.finish();
  McfgInfo info{};
  ASSERT_EQ(parse_mcfg(t.data(), t.size(), &info), AcpiError::Ok);
  EXPECT_TRUE(info.truncated);
  EXPECT_EQ(info.region_count, kMaxEcamRegions);
  EXPECT_EQ(info.regions_seen, 20u);
}

TableBuilder q35_hpet(uint8_t address_space) {
  TableBuilder b("HPET");
  b.u32(0x8086A201);                                      // block id
  b.u8(address_space).u8(0).u8(0).u8(0).u64(0xFED00000);  // GAS
  b.u8(0).u16(0x80).u8(0);                                // number, min tick, protection
  return b;
}

TEST(Hpet, Q35Table) {
  std::vector<uint8_t> t = q35_hpet(0).finish();
  ASSERT_EQ(t.size(), 56u);
  HpetInfo info{};
  ASSERT_EQ(parse_hpet(t.data(), t.size(), &info), AcpiError::Ok);
  EXPECT_EQ(info.address, 0xFED00000u);
  EXPECT_EQ(info.min_clock_tick, 0x80);
  EXPECT_EQ(info.comparator_count, 3);  // bits 12:8 = 2 -> three comparators
  EXPECT_TRUE(info.counter_64bit);
  EXPECT_TRUE(info.legacy_replacement);
}

TEST(Hpet, MalformedTablesRefused) {
  HpetInfo info{};
  std::vector<uint8_t> io = q35_hpet(1).finish();
  EXPECT_EQ(parse_hpet(io.data(), io.size(), &info), AcpiError::UnsupportedAddressSpace);
  EXPECT_EQ(info.address, 0u);
  std::vector<uint8_t> short_table = q35_hpet(0).finish_with_length(52);
  short_table.resize(52);
  TableBuilder::fix_checksum(short_table);
  EXPECT_EQ(parse_hpet(short_table.data(), short_table.size(), &info), AcpiError::LengthTooSmall);
}

}  // namespace
}  // namespace kernel::acpi
