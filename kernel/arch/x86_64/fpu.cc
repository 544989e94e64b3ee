// FPU/SSE/AVX enable and eager save/restore for user threads (Intel SDM vol 1 §13.3, vol 3A §2.5).
#include "arch/x86_64/fpu.h"

#include "arch/x86_64/cpu.h"

namespace kernel::x86 {
namespace {

constexpr uint64_t kCr0Mp = 1ULL << 1;
constexpr uint64_t kCr0Em = 1ULL << 2;
constexpr uint64_t kCr0Ts = 1ULL << 3;
constexpr uint64_t kCr4Osfxsr = 1ULL << 9;
constexpr uint64_t kCr4Osxmmexcpt = 1ULL << 10;
constexpr uint64_t kCr4Osxsave = 1ULL << 18;
constexpr uint64_t kXcr0Wanted = 0x7;  // x87, SSE, AVX (Intel SDM vol 1 §13.1)

bool g_use_xsave = false;
uint64_t g_xcr0 = 0;

void xsetbv(uint32_t index, uint64_t value) {
  asm volatile("xsetbv"
               :
               : "c"(index), "a"(static_cast<uint32_t>(value)),
                 "d"(static_cast<uint32_t>(value >> 32)));
}

}  // namespace

const char* fpu_init() {
  write_cr0((read_cr0() | kCr0Mp) & ~(kCr0Em | kCr0Ts));
  write_cr4(read_cr4() | kCr4Osfxsr | kCr4Osxmmexcpt);
  asm volatile("fninit");
  const CpuidResult leaf1 = cpuid(1);
  if ((leaf1.ecx & (1U << 26)) == 0) return "fxsave";
  write_cr4(read_cr4() | kCr4Osxsave);
  const CpuidResult leaf_d = cpuid(0xD, 0);
  const uint64_t supported = (static_cast<uint64_t>(leaf_d.edx) << 32) | leaf_d.eax;
  g_xcr0 = supported & kXcr0Wanted;
  xsetbv(0, g_xcr0);
  // EBX: bytes XSAVE needs for the features now enabled in XCR0.
  if (cpuid(0xD, 0).ebx > kFpuAreaSize) return "fxsave(xsave-area-too-large)";
  g_use_xsave = true;
  return (g_xcr0 & 4) != 0 ? "xsave(x87,sse,avx)" : "xsave(x87,sse)";
}

void fpu_init_area(FpuArea* area) {
  for (auto& b : area->bytes) b = 0;
  area->bytes[0] = 0x7F;  // FCW = 0x037F: all exceptions masked, 64-bit precision
  area->bytes[1] = 0x03;
  area->bytes[24] = 0x80;  // MXCSR = 0x1F80: all SSE exceptions masked
  area->bytes[25] = 0x1F;
  // XSAVE header (offset 512) all zero: XSTATE_BV = 0 means every component in its init state.
}

void fpu_save(FpuArea* area) {
  if (g_use_xsave) {
    asm volatile("xsave64 %0"
                 : "=m"(*area)
                 : "a"(static_cast<uint32_t>(g_xcr0)), "d"(static_cast<uint32_t>(g_xcr0 >> 32))
                 : "memory");
  } else {
    asm volatile("fxsave64 %0" : "=m"(*area) : : "memory");
  }
}

void fpu_restore(const FpuArea* area) {
  if (g_use_xsave) {
    asm volatile("xrstor64 %0"
                 :
                 : "m"(*area), "a"(static_cast<uint32_t>(g_xcr0)),
                   "d"(static_cast<uint32_t>(g_xcr0 >> 32))
                 : "memory");
  } else {
    asm volatile("fxrstor64 %0" : : "m"(*area) : "memory");
  }
}

}  // namespace kernel::x86
