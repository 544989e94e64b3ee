// Tests for MADT-to-IOAPIC routing, redirection-entry encoding and vector allocation.
#include "arch/x86_64/irq_routing.h"

#include <gtest/gtest.h>

#include <memory>

namespace kernel::x86 {
namespace {

using kernel::acpi::MadtInfo;
using kernel::acpi::MadtIoApic;
using kernel::acpi::MadtOverride;
using kernel::acpi::Polarity;
using kernel::acpi::Trigger;

// QEMU q35's MADT: one IOAPIC (24 pins) at GSI 0; IRQ0 -> GSI2 and the level-triggered,
// active-high SCI and PCI links (IRQ 5, 9, 10, 11).
std::unique_ptr<MadtInfo> q35() {
  auto m = std::make_unique<MadtInfo>();
  m->ioapics[0] = MadtIoApic{0, 0xFEC00000, 0};
  m->ioapic_count = 1;
  m->overrides[0] = MadtOverride{0, 0, 2, Polarity::Conforms, Trigger::Conforms};
  m->overrides[1] = MadtOverride{0, 5, 5, Polarity::ActiveHigh, Trigger::Level};
  m->overrides[2] = MadtOverride{0, 9, 9, Polarity::ActiveHigh, Trigger::Level};
  m->overrides[3] = MadtOverride{0, 10, 10, Polarity::ActiveHigh, Trigger::Level};
  m->overrides[4] = MadtOverride{0, 11, 11, Polarity::ActiveHigh, Trigger::Level};
  m->override_count = 5;
  return m;
}

TEST(IrqRouting, IsaIdentityWithoutOverride) {
  auto m = q35();
  const uint32_t pins[] = {24};
  const PinRoute r = route_isa(*m, pins, 4);  // COM1
  ASSERT_TRUE(r.valid);
  EXPECT_EQ(r.ioapic_index, 0u);
  EXPECT_EQ(r.pin, 4u);
  EXPECT_FALSE(r.active_low);
  EXPECT_FALSE(r.level);
}

TEST(IrqRouting, TimerOverrideToGsi2) {
  auto m = q35();
  const uint32_t pins[] = {24};
  const PinRoute r = route_isa(*m, pins, 0);
  ASSERT_TRUE(r.valid);
  EXPECT_EQ(r.gsi, 2u);
  EXPECT_EQ(r.pin, 2u);
  EXPECT_FALSE(r.level);  // "conforms" means the ISA default: edge, active high
}

TEST(IrqRouting, LevelOverrideKeepsPolarity) {
  auto m = q35();
  const uint32_t pins[] = {24};
  const PinRoute r = route_isa(*m, pins, 9);
  ASSERT_TRUE(r.valid);
  EXPECT_TRUE(r.level);
  EXPECT_FALSE(r.active_low);
}

TEST(IrqRouting, ActiveLowLevelOverride) {
  auto m = q35();
  m->overrides[m->override_count++] = MadtOverride{0, 7, 20, Polarity::ActiveLow, Trigger::Level};
  const uint32_t pins[] = {24};
  const PinRoute r = route_isa(*m, pins, 7);
  ASSERT_TRUE(r.valid);
  EXPECT_EQ(r.pin, 20u);
  EXPECT_TRUE(r.active_low);
  EXPECT_TRUE(r.level);
}

TEST(IrqRouting, TwoIoApicsPickTheRightOne) {
  auto m = q35();
  m->ioapics[1] = MadtIoApic{1, 0xFEC01000, 24};
  m->ioapic_count = 2;
  const uint32_t pins[] = {24, 32};
  const PinRoute r = route_gsi(*m, pins, 40, true, true);
  ASSERT_TRUE(r.valid);
  EXPECT_EQ(r.ioapic_index, 1u);
  EXPECT_EQ(r.pin, 16u);
  EXPECT_FALSE(route_gsi(*m, pins, 56, false, false).valid);  // past the second IOAPIC
}

TEST(IrqRouting, GapBetweenIoApicsIsInvalid) {
  auto m = q35();
  m->ioapics[1] = MadtIoApic{1, 0xFEC01000, 64};
  m->ioapic_count = 2;
  const uint32_t pins[] = {24, 24};
  EXPECT_FALSE(route_gsi(*m, pins, 30, false, false).valid);
  EXPECT_TRUE(route_gsi(*m, pins, 64, false, false).valid);
}

TEST(IrqRouting, NoIoApic) {
  MadtInfo m{};
  const uint32_t pins[1] = {0};
  EXPECT_FALSE(route_isa(m, pins, 1).valid);
}

TEST(RedirectionEntry, Encoding) {
  // 82093AA §3.2.4: vector 7:0, polarity bit 13, trigger bit 15, mask bit 16, destination 63:56.
  EXPECT_EQ(redirection_entry(0x30, 0, false, false, false), 0x30u);
  EXPECT_EQ(redirection_entry(0x31, 3, true, true, true),
            0x31u | (1u << 13) | (1u << 15) | (1u << 16) | (3ULL << 56));
}

TEST(VectorAllocator, AllocatesLowestFreeInRange) {
  VectorAllocator a(0x30, 0x32);
  EXPECT_EQ(a.allocate(), 0x30);
  EXPECT_EQ(a.allocate(), 0x31);
  EXPECT_EQ(a.allocate(), 0x32);
  EXPECT_EQ(a.allocate(), 0);  // exhausted
  a.release(0x31);
  EXPECT_EQ(a.allocate(), 0x31);
}

TEST(VectorAllocator, ClaimRespectsRangeAndUse) {
  VectorAllocator a(0x30, 0xEF);
  EXPECT_TRUE(a.claim(0x40));
  EXPECT_FALSE(a.claim(0x40));
  EXPECT_FALSE(a.claim(0x20));
  EXPECT_FALSE(a.claim(0xF0));
  EXPECT_TRUE(a.in_use(0x40));
  VectorAllocator full(0xC0, 0xFF);
  for (int i = 0; i < 64; ++i) EXPECT_NE(full.allocate(), 0);
  EXPECT_EQ(full.allocate(), 0);
}

}  // namespace
}  // namespace kernel::x86
