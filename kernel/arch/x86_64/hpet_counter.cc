// HPET main counter access (IA-PC HPET spec 1.0a §2.3.1-2.3.5 register map).
#include "arch/x86_64/hpet_counter.h"

#include "mu/bootinfo.h"
#include "time/time_math.h"

namespace kernel::x86::hpet {
namespace {

constexpr uint64_t kRegCapabilities = 0x000;  // bits 63:32 COUNTER_CLK_PERIOD (fs), 13 64-bit
constexpr uint64_t kRegConfig = 0x010;        // bit 0 ENABLE_CNF
constexpr uint64_t kRegMainCounter = 0x0F0;
constexpr uint64_t kEnable = 1;
constexpr uint64_t kCounter64 = 1ULL << 13;
constexpr uint64_t kMaxPeriodFs = 100'000'000;  // §2.3.4: at most 100 ns

volatile uint8_t* g_base = nullptr;  // through the HHDM (see lapic.cc on caching)
uint64_t g_hz = 0;
bool g_64bit = false;
uint32_t g_last_low = 0;  // 32-bit counters: widened in software
uint64_t g_high = 0;

uint64_t reg(uint64_t offset) { return *reinterpret_cast<volatile uint64_t*>(g_base + offset); }
void set_reg(uint64_t offset, uint64_t value) {
  *reinterpret_cast<volatile uint64_t*>(g_base + offset) = value;
}

}  // namespace

bool init(uint64_t address) {
  g_base = reinterpret_cast<volatile uint8_t*>(mu::kHhdmBase + address);
  const uint64_t caps = reg(kRegCapabilities);
  const uint64_t period_fs = caps >> 32;
  if (period_fs == 0 || period_fs > kMaxPeriodFs) {
    g_base = nullptr;
    return false;
  }
  g_hz = time::hpet_hz_from_period_fs(period_fs);
  g_64bit = (caps & kCounter64) != 0;
  const uint64_t config = reg(kRegConfig);
  if ((config & kEnable) == 0) set_reg(kRegConfig, config | kEnable);
  return true;
}

bool present() { return g_base != nullptr; }
uint64_t hz() { return g_hz; }

uint64_t read() {
  if (g_64bit) return reg(kRegMainCounter);
  const uint32_t low = *reinterpret_cast<volatile uint32_t*>(g_base + kRegMainCounter);
  if (low < g_last_low) g_high += 1ULL << 32;
  g_last_low = low;
  return g_high | low;
}

}  // namespace kernel::x86::hpet
