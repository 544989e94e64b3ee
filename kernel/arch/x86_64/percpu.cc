// Per-CPU block, GS base and the SYSCALL/SYSRET MSRs (AMD APM vol 2 §6.1.1, Intel SDM vol 2B).
#include "arch/x86_64/percpu.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"

extern "C" void syscall_entry();

namespace kernel::x86 {
namespace {

constexpr uint32_t kMsrStar = 0xC0000081;
constexpr uint32_t kMsrLstar = 0xC0000082;
constexpr uint32_t kMsrSfmask = 0xC0000084;
constexpr uint32_t kMsrGsBase = 0xC0000101;
constexpr uint32_t kMsrKernelGsBase = 0xC0000102;
constexpr uint64_t kEferSce = 1ULL << 0;

// RFLAGS bits cleared on SYSCALL: TF, IF, DF, IOPL, NT, AC (Intel SDM vol 3A §2.3). Interrupts
// stay off in the kernel; the next thread's saved flags or SYSRET/IRET turn them back on.
constexpr uint64_t kSyscallFlagMask =
    (1ULL << 8) | (1ULL << 9) | (1ULL << 10) | (3ULL << 12) | (1ULL << 14) | (1ULL << 18);

static_assert(offsetof(PerCpu, kernel_rsp) == MU_PERCPU_KERNEL_RSP);
static_assert(offsetof(PerCpu, user_rsp) == MU_PERCPU_USER_RSP);

}  // namespace

PerCpu g_boot_cpu;

void percpu_init() {
  g_boot_cpu.self = &g_boot_cpu;
  g_boot_cpu.loaded_cr3 = read_cr3();
  wrmsr(kMsrGsBase, reinterpret_cast<uint64_t>(&g_boot_cpu));
  wrmsr(kMsrKernelGsBase, 0);
  // STAR[47:32]: SYSCALL CS (SS = +8); STAR[63:48]: SYSRET base, CS = +16, SS = +8 (gdt.h).
  const uint64_t sysret_base = kKernelDataSelector;  // 0x10: user SS 0x1b, user CS 0x23
  wrmsr(kMsrStar, (sysret_base << 48) | (static_cast<uint64_t>(kKernelCodeSelector) << 32));
  wrmsr(kMsrLstar, reinterpret_cast<uint64_t>(&syscall_entry));
  wrmsr(kMsrSfmask, kSyscallFlagMask);
  wrmsr(kMsrEfer, rdmsr(kMsrEfer) | kEferSce);
}

void set_kernel_stack(uint64_t top) {
  g_boot_cpu.kernel_rsp = top;
  set_tss_rsp0(top);
}

}  // namespace kernel::x86
