// kernel_main: bring up the consoles, take in the BootInfo, report, then act on the command line.
#include <stddef.h>
#include <stdint.h>

#include "acpi/hhdm_memory.h"
#include "acpi/power_off.h"
#include "acpi/tables.h"
#include "arch/arch.h"
#include "arch/interrupts.h"
#include "arch/x86_64/fpu.h"
#include "boot/boot_report.h"
#include "console/boot_screen.h"
#include "debug/fault_injection.h"
#include "debug/panic.h"
#include "lib/cmdline.h"
#include "lib/print.h"
#include "lib/string.h"
#include "mm/memory.h"
#include "mm/mm_selftest.h"
#include "mu/bootinfo.h"
#include "proc/process.h"
#include "proc/root_task.h"
#include "sched/scheduler.h"
#include "time/clock.h"
#include "time/ktest_time.h"

extern "C" void (*const __init_array_start[])();
extern "C" void (*const __init_array_end[])();

namespace kernel {
namespace {

uint64_t hhdm_mapped_end(const mu::BootInfo& info) {
  uint64_t end = 4ULL << 30;
  for (uint32_t i = 0; i < info.region_count; ++i) {
    const uint64_t region_end = info.regions[i].base + info.regions[i].length;
    if (region_end > end) end = region_end;
  }
  return end;
}

// The BootInfo sits in boot-reclaimable memory; the kernel works from this copy so that memory
// can be reclaimed after the boot report.
mu::BootInfo g_boot_info;

void run_global_constructors() {
  for (auto* ctor = __init_array_start; ctor != __init_array_end; ++ctor) (*ctor)();
}

void warn_cmdline(void*, const CmdlineWord& word, const char* why) {
  kprintf("kernel: ignoring command-line word \"%.*s\": %s\n", static_cast<int>(word.text.size()),
          word.text.data(), why);
}

// With a BootInfo that failed validation the command line is untrusted, but a bounded look for
// `test` still lets a test run fail fast instead of hanging until its timeout.
bool invalid_bootinfo_requests_test(const mu::BootInfo* info) {
  if (info == nullptr || info->magic != mu::kBootInfoMagic) return false;
  const StringView line(info->cmdline, string_length_bounded(info->cmdline, mu::kCmdlineMax));
  CmdlineTokenizer tokens(line);
  CmdlineWord word;
  while (tokens.next(&word)) {
    if (word.text == "test") return true;
  }
  return false;
}

[[noreturn]] void halt_with_message(const char* message) {
  kprintf("%s\n", message);
  console_flush();
  arch::halt_forever();
}

[[noreturn]] void acpi_power_off(const mu::BootInfo& info) {
  acpi::HhdmMemory memory(hhdm_mapped_end(info));
  acpi::AcpiTables tables;
  acpi::PowerOffPlan plan{};
  acpi::AcpiError error = acpi::AcpiTables::open(memory, info.rsdp, &tables);
  if (error == acpi::AcpiError::Ok) error = acpi::plan_power_off(tables, memory, &plan);
  if (error != acpi::AcpiError::Ok) {
    kprintf("kernel: power-off failed: %s; halted\n", acpi::acpi_error_string(error));
    console_flush();
    arch::halt_forever();
  }
  kprintf("kernel: powering off (ACPI S5)\n");
  console_flush();
  acpi::execute_power_off(arch::io_ports(), plan);
  // S5 takes effect at once on QEMU and within microseconds on hardware; give it a moment.
  for (uint64_t spin = 0; spin < 50000000; ++spin) asm volatile("pause");
  kprintf(
      "kernel: power-off failed: the machine is still running after writing PM1a_CNT=0x%x; "
      "halted\n",
      plan.pm1a_control);
  console_flush();
  arch::halt_forever();
}

const mu::BootInfo* g_info = nullptr;
uint64_t g_free_before_init = 0;
uint64_t g_allocated_before_init = 0;

// init's process ended: the test run's verdict is its exit code; otherwise power off.
void on_init_exit(int64_t code) {
  kprintf("kernel: init exited with code %ld\n", code);
  // After boot the kernel allocates nothing (proc/root_task.cc kKernelReserveFrames): the free
  // count is what it was when init started (init's own memory is not given back) and nothing
  // was allocated since.
  kprintf("kernel: frames: free_before_init=%lu free_after_init=%lu allocated_after_boot=%lu\n",
          g_free_before_init, mm::free_frame_count(),
          mm::frames_allocated() - g_allocated_before_init);
  if (test_mode()) {
    kprintf("kernel: test mode: exiting QEMU with %s\n", code == 0 ? "success" : "failure");
    console_flush();
    arch::qemu_debug_exit(code == 0 ? 0 : 1);
    halt_with_message("kernel: isa-debug-exit device absent; halted");
  }
  acpi_power_off(*g_info);
}

// Threads, syscalls and the first user program; never returns.
[[noreturn]] void start_user_space(const mu::BootInfo& info, const KernelOptions& options,
                                   uint64_t kernel_tsc) {
  g_info = &info;
  // No lines of its own here: what is worth saying goes on init's line (the boot report already
  // fills more than a screen, and each screenful forces a framebuffer render on the boot path).
  const char* fpu = x86::fpu_init();
  sched::init(options.timeslice_ms * 1000 * 1000);
  proc::BootHandoff handoff;
  handoff.initrd = reinterpret_cast<const uint8_t*>(mu::kHhdmBase + info.initrd_base);
  handoff.initrd_phys = info.initrd_base;
  handoff.initrd_size = info.initrd_size;
  handoff.cmdline = StringView(info.cmdline, string_length_bounded(info.cmdline, mu::kCmdlineMax));
  handoff.kernel_tsc = kernel_tsc;
  proc::init(handoff, on_init_exit);
  if (!proc::start_root_task(options.init_path, info, fpu, options.timeslice_ms)) {
    if (test_mode()) stop_on_failure();
    acpi_power_off(info);
  }
  // After the root task took its memory: from here on the kernel allocates nothing.
  g_free_before_init = mm::free_frame_count();
  g_allocated_before_init = mm::frames_allocated();
  sched::start();
}

}  // namespace

extern "C" [[noreturn]] void kernel_main(const mu::BootInfo* info, uint64_t kernel_tsc) {
  run_global_constructors();
  arch::serial_init();
  (void)console_register(arch::serial_sink());
  kprintf("\nmuOS %s kernel: serial console up\n", MU_VERSION_STRING);

  const mu::BootInfoError check = mu::check_bootinfo(info, sizeof(mu::BootInfo));
  if (check != mu::BootInfoError::None) {
    kprintf("bootinfo: invalid: %s\n", mu::bootinfo_error_string(check));
    set_test_mode(invalid_bootinfo_requests_test(info));
    stop_on_failure();
  }
  if (info->hhdm_base != mu::kHhdmBase) {
    kprintf("bootinfo: warning: hhdm_base=0x%lx, expected 0x%lx\n", info->hhdm_base, mu::kHhdmBase);
  }
  g_boot_info = *info;
  info = &g_boot_info;

  const KernelOptions options = parse_kernel_options(
      StringView(info->cmdline, string_length_bounded(info->cmdline, mu::kCmdlineMax)),
      warn_cmdline, nullptr);
  set_test_mode(options.test);
  const char* protections = arch::enable_cpu_protections();
  mm::init(*info);
  arch::install_guarded_exception_stacks();

  // One line of what was found, for the banner.
  char found[160];
  const uint64_t usable = mu::bootinfo_bytes_of(*info, mu::MemoryType::Usable);
  format_buffer(found, sizeof(found),
                "%ux%u  %lu MiB usable  %u regions  initrd %lu KiB  ACPI %s  %s",
                info->framebuffer.width, info->framebuffer.height, usable >> 20, info->region_count,
                info->initrd_size >> 10, info->rsdp != 0 ? "yes" : "no", info->loader_name);
  const char* screen = boot_screen_init(*info, found);
  kprintf("kernel: %s %s, cpu protections: %s, screen: %s\n", info->loader_name,
          info->loader_version, protections, screen == nullptr ? "framebuffer console" : screen);

  const uint8_t* initrd = nullptr;
  if (info->initrd_size != 0)
    initrd = reinterpret_cast<const uint8_t*>(mu::kHhdmBase + info->initrd_base);
  (void)print_boot_report(console_sink(), *info, initrd, kernel_tsc);
  const uint64_t reclaimed = mm::reclaim_boot_memory();
  kprintf("mm: free_kib=%lu total_kib=%lu reclaimed_kib=%lu\n", mm::free_frame_count() * 4,
          mm::total_frame_count() * 4, reclaimed >> 10);

  if (options.ktest == "mm") {
    if (!mm::run_selftest() && options.test) stop_on_failure();
  } else if (options.ktest.size() != 0 && !(options.ktest == "time")) {
    kprintf("kernel: unknown ktest suite \"%.*s\" (known: mm, time)\n",
            static_cast<int>(options.ktest.size()), options.ktest.data());
  }

  if (options.fault != FaultInjection::None) {
    kprintf("kernel: injecting fault\n");
    inject_fault(options.fault);
    panic("fault injection returned without an exception");
  }

  irq::init(info->rsdp, hhdm_mapped_end(*info));
  time::init(options.timer == TimerOption::Periodic  ? time::TimerChoice::Periodic
             : options.timer == TimerOption::OneShot ? time::TimerChoice::OneShot
                                                     : time::TimerChoice::Best,
             options.clock_pit ? time::ClockReference::Pit : time::ClockReference::Best);
  if (options.ktest == "time" && !time::run_ktest()) {
    kprintf("kernel: ktest=time failed\n");
    stop_on_failure();
  }

  if (options.halt) halt_with_message("kernel: halted");
  start_user_space(*info, options, kernel_tsc);
}

}  // namespace kernel
