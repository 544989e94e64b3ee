// Timer interrupt hardware: LAPIC TSC-deadline / one-shot, PIT periodic fallback.
//
// Mode choice (time::hw::timer_init):
//   TscDeadline when CPUID.01H:ECX[24] (SDM vol 3A §11.5.4.1): absolute TSC deadlines, no
//     LAPIC-timer calibration needed.
//   OneShot otherwise: the LAPIC timer (divide by 16) is calibrated against the already
//     calibrated TSC over 10 ms, then armed with relative counts (SDM §11.5.4).
//   Periodic when the LAPIC timer does not count (calibration reads no ticks, as on some
//     hypervisors with the timer disabled) or `timer=periodic` asks for it: PIT channel 0 at
//     1 kHz routed through the IOAPIC (ISA IRQ 0 after the MADT override, usually GSI 2);
//     kernel/time checks the deadline on every tick and stops the PIT when nothing is armed, so
//     an idle system still takes no ticks.
#include "arch/x86_64/apic_timer.h"

#include "arch/arch.h"
#include "arch/interrupts.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/pit.h"
#include "arch/x86_64/tsc.h"
#include "lib/print.h"
#include "time/clock_hw.h"
#include "time/time_math.h"

namespace kernel::time::hw {
namespace {

using namespace x86;
using namespace x86::apic_timer;

// Short: timer deadlines only need ~0.1%, and the window is counted on the calibrated TSC.
constexpr uint64_t kLapicCalibrationNs = 250'000;

TimerMode g_mode = TimerMode::OneShot;
void (*g_on_interrupt)() = nullptr;
uint64_t g_timer_hz = 0;
uint8_t g_periodic_vector = 0;
bool g_periodic_running = false;

void timer_interrupt(uint8_t, void*) {
  if (g_on_interrupt != nullptr) g_on_interrupt();
}

// LAPIC ticks per second (divide by 16) measured against the TSC; 0 if the timer does not count.
uint64_t calibrate_lapic_timer(uint64_t counter_hz) {
  lapic::write(lapic::kTimerDivide, kDivideBy16);
  lapic::write(lapic::kLvtTimer, lapic::kLvtMasked | kModeOneShot | irq::kTimerVector);
  const uint64_t window = mul_div(counter_hz, kLapicCalibrationNs, kNsPerSecond);
  lapic::write(lapic::kTimerInitialCount, 0xFFFFFFFFu);
  const uint64_t start = rdtsc();
  uint64_t now = start;
  while (now - start < window) now = rdtsc();
  const uint32_t remaining = lapic::read(lapic::kTimerCurrentCount);
  const uint64_t end = rdtsc();
  lapic::write(lapic::kTimerInitialCount, 0);  // stop (SDM §11.5.4)
  const uint64_t ticks = 0xFFFFFFFFu - remaining;
  return frequency_from_samples(ticks, end - start, counter_hz);
}

TimerMode setup_periodic() {
  g_periodic_vector = irq::route_isa_irq(0, timer_interrupt, nullptr);
  if (g_periodic_vector == 0) {
    kprintf("time: cannot route ISA IRQ 0 (no IOAPIC or no free vector): timers will not fire\n");
  }
  g_timer_hz = kPeriodicHz;
  return TimerMode::Periodic;
}

}  // namespace

const char* timer_mode_name(TimerMode mode) {
  switch (mode) {
    case TimerMode::TscDeadline: return "tsc-deadline";
    case TimerMode::OneShot: return "oneshot";
    case TimerMode::Periodic: return "periodic";
  }
  return "?";
}

TimerMode timer_init(TimerPreference preference, uint64_t counter_hz, void (*on_interrupt)()) {
  g_on_interrupt = on_interrupt;
  (void)irq::set_local_handler(irq::kTimerVector, timer_interrupt, nullptr);
  if (preference == TimerPreference::Periodic) {
    g_mode = setup_periodic();
    return g_mode;
  }
  if (preference == TimerPreference::Best && tsc::deadline_supported()) {
    wrmsr(kMsrTscDeadline, 0);  // disarmed
    lapic::write(lapic::kLvtTimer, kModeTscDeadline | irq::kTimerVector);
    // SDM §11.5.4.1: order the xAPIC LVT write before any later WRMSR to IA32_TSC_DEADLINE.
    asm volatile("mfence; lfence" ::: "memory");
    g_timer_hz = 0;
    g_mode = TimerMode::TscDeadline;
    return g_mode;
  }
  g_timer_hz = calibrate_lapic_timer(counter_hz);
  if (g_timer_hz == 0) {
    g_mode = setup_periodic();
    return g_mode;
  }
  lapic::write(lapic::kLvtTimer, kModeOneShot | irq::kTimerVector);
  g_mode = TimerMode::OneShot;
  return g_mode;
}

void timer_arm_counter(uint64_t counter_value) {
  wrmsr(kMsrTscDeadline, counter_value == 0 ? 1 : counter_value);  // 0 would disarm
}

void timer_arm_after_ns(uint64_t ns) {
  if (g_mode == TimerMode::Periodic) {
    if (!g_periodic_running && g_periodic_vector != 0) {
      pit::channel0_periodic(arch::io_ports(), kPeriodicHz);
      irq::unmask_vector(g_periodic_vector);
      g_periodic_running = true;
    }
    return;
  }
  const uint64_t ticks = ns_to_timer_ticks(ns, g_timer_hz, 0xFFFFFFFFu);
  lapic::write(lapic::kTimerInitialCount, static_cast<uint32_t>(ticks));
}

void timer_stop() {
  switch (g_mode) {
    case TimerMode::TscDeadline: wrmsr(kMsrTscDeadline, 0); break;
    case TimerMode::OneShot: lapic::write(lapic::kTimerInitialCount, 0); break;
    case TimerMode::Periodic:
      if (g_periodic_running) {
        irq::mask_vector(g_periodic_vector);
        pit::channel0_stop(arch::io_ports());
        g_periodic_running = false;
      }
      break;
  }
}

uint64_t timer_hz() { return g_timer_hz; }

}  // namespace kernel::time::hw
