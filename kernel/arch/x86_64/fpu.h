// x87/SSE/AVX state of user threads (the kernel itself never touches it: -mgeneral-regs-only).
// Saved and restored eagerly on every switch between user threads; XSAVE when the CPU has it,
// FXSAVE otherwise (Intel SDM vol 1 §13, vol 3A §13.5).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace kernel::x86 {

// Bytes every thread reserves; fpu_init falls back to FXSAVE if XSAVE would need more.
inline constexpr size_t kFpuAreaSize = 1024;

struct alignas(64) FpuArea {
  uint8_t bytes[kFpuAreaSize];
};

// Enables the FPU and SSE for user mode (CR0.MP, !CR0.EM, CR4.OSFXSR, CR4.OSXMMEXCPT, and
// CR4.OSXSAVE with XCR0 = x87|SSE|AVX as supported). Returns a short description for the log.
const char* fpu_init();

// Writes the power-on state (FCW 0x37F, MXCSR 0x1F80, XSTATE_BV 0) into `area`.
void fpu_init_area(FpuArea* area);
void fpu_save(FpuArea* area);
void fpu_restore(const FpuArea* area);

}  // namespace kernel::x86
