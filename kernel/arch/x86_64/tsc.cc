// TSC calibration against the HPET (preferred) or PIT channel 2, and the counter seam for
// kernel/time (time/clock_hw.h). Under QEMU TCG the TSC follows the host's clock while the HPET
// and PIT are emulated on QEMU's virtual clock: calibrating against them is what makes TSC
// deadlines agree with the emulated timers.
#include "arch/x86_64/tsc.h"

#include "acpi/platform.h"
#include "arch/arch.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/hpet_counter.h"
#include "arch/x86_64/pit.h"
#include "time/clock_hw.h"
#include "time/time_math.h"

namespace kernel::x86::tsc {

bool invariant() {
  if (cpuid(0x80000000).eax < 0x80000007) return false;
  return (cpuid(0x80000007).edx & (1u << 8)) != 0;
}

bool deadline_supported() { return (cpuid(1).ecx & (1u << 24)) != 0; }

namespace {

// Short windows keep boot fast; kernel/time refines the rate over a long HPET baseline later.
// 250 us of a >= 10 MHz HPET is >= 2500 ticks: ~0.1% even with a few ticks of read latency.
constexpr uint64_t kHpetCalibrationNs = 250'000;
// The PIT is measured over several short windows and the shortest TSC count wins: a window can
// only come out too long (the host descheduling QEMU, an SMI on hardware), never too short.
constexpr uint64_t kPitCalibrationNs = 2'000'000;
constexpr int kPitCalibrationWindows = 5;
// PIT channel 2 counts for 2 ms: 1193182 * 0.002 = 2386 (fits the 16-bit counter).
constexpr uint16_t kPitCalibrationCount =
    static_cast<uint16_t>(pit::kHz * kPitCalibrationNs / time::kNsPerSecond);

const char* g_reference = "none";

uint64_t calibrate_against_hpet() {
  const uint64_t window = time::mul_div(hpet::hz(), kHpetCalibrationNs, time::kNsPerSecond);
  const uint64_t hpet_start = hpet::read();
  const uint64_t tsc_start = rdtsc();
  uint64_t hpet_now = hpet_start;
  while (hpet_now - hpet_start < window) hpet_now = hpet::read();
  const uint64_t tsc_end = rdtsc();
  return time::frequency_from_samples(tsc_end - tsc_start, hpet_now - hpet_start, hpet::hz());
}

// TSC ticks over one PIT channel 2 countdown of kPitCalibrationCount, or 0 without a PIT.
uint64_t pit_window_ticks(IoPorts& ports) {
  pit::channel2_start(ports, kPitCalibrationCount);
  const uint64_t tsc_start = rdtsc();
  uint64_t spins = 0;
  while (!pit::channel2_expired(ports)) {
    if (++spins > 100'000'000) return 0;  // no PIT (OUT2 never rises)
  }
  const uint64_t tsc_end = rdtsc();
  pit::channel2_stop(ports);
  return tsc_end - tsc_start;
}

uint64_t calibrate_against_pit() {
  IoPorts& ports = arch::io_ports();
  uint64_t shortest = 0;
  for (int window = 0; window < kPitCalibrationWindows; ++window) {
    const uint64_t ticks = pit_window_ticks(ports);
    if (ticks == 0) return 0;
    if (shortest == 0 || ticks < shortest) shortest = ticks;
  }
  return time::frequency_from_samples(shortest, kPitCalibrationCount, pit::kHz);
}

}  // namespace

}  // namespace kernel::x86::tsc

namespace kernel::time::hw {

uint64_t read_counter() { return x86::rdtsc(); }

void cpu_relax() { asm volatile("pause"); }

void wait_for_interrupt() { asm volatile("sti; hlt" ::: "memory"); }

CounterCalibration calibrate_counter(bool allow_hpet) {
  using namespace x86;
  CounterCalibration result;
  result.invariant = tsc::invariant();
  const acpi::Platform& platform = acpi::platform();
  if (platform.have_hpet) (void)hpet::init(platform.hpet.address);
  if (allow_hpet && hpet::present()) {
    result.hz = tsc::calibrate_against_hpet();
    result.reference = "hpet";
  }
  if (result.hz == 0) {
    result.hz = tsc::calibrate_against_pit();
    result.reference = "pit";
  }
  tsc::g_reference = result.reference;
  return result;
}

bool reference_sample(ReferenceSample* sample) {
  using namespace x86;
  if (tsc::g_reference[0] != 'h' || !hpet::present()) return false;
  // The counter read half-way through the (slow, MMIO) HPET read.
  const uint64_t before = rdtsc();
  sample->reference = hpet::read();
  const uint64_t after = rdtsc();
  sample->counter = before + (after - before) / 2;
  sample->reference_hz = hpet::hz();
  return true;
}

bool measure_independently(void (*work)(void* context), void* context, uint64_t* ns,
                           const char** reference) {
  using namespace x86;
  const bool calibrated_on_hpet = tsc::g_reference[0] == 'h';
  if (!calibrated_on_hpet && hpet::present()) {
    const uint64_t start = hpet::read();
    work(context);
    *ns = time::mul_div(hpet::read() - start, time::kNsPerSecond, hpet::hz());
    *reference = "hpet";
    return true;
  }
  // The PIT channel 2 counter: 0xFFFF counts are ~54.9 ms, so only shorter work fits.
  IoPorts& ports = arch::io_ports();
  pit::channel2_start(ports, 0xFFFF);
  work(context);
  const uint16_t count = pit::channel2_count(ports);
  const bool expired = pit::channel2_expired(ports);
  pit::channel2_stop(ports);
  if (expired) return false;
  *ns = time::mul_div(0xFFFFu - count, time::kNsPerSecond, pit::kHz);
  *reference = "pit";
  return true;
}

}  // namespace kernel::time::hw
