// Instructions that raise specific exceptions, for the fault= system tests of the trap path.
#include "arch/arch.h"
#include "debug/panic.h"
#include "mm/memory.h"

namespace kernel::arch {
namespace {

// Uses 512 bytes of stack per level and never returns (the depth test only hides the endless
// recursion from the compiler), so it runs into the guard page below its stack.
[[gnu::noinline]] uint64_t recurse_into_guard_page(uint64_t depth) {
  volatile uint8_t frame[512];
  frame[0] = static_cast<uint8_t>(depth);
  if (depth == ~0ULL) return 0;
  return recurse_into_guard_page(depth + 1) + frame[0];
}

// The #PF raised by the guard page cannot be delivered on the same exhausted stack, so the CPU
// raises #DF, which runs on its own IST stack (SDM vol 3A §6.15, interrupt 8).
[[noreturn]] void overflow_guarded_stack() {
  mm::KernelStack stack;
  if (!mm::alloc_kernel_stack(4, &stack)) panic("fault=overflow: no kernel stack");
  asm volatile("mov %0, %%rsp\n\tcall *%1" ::"r"(stack.top), "r"(recurse_into_guard_page), "D"(0ULL)
               : "memory");
  __builtin_unreachable();
}

}  // namespace

void raise_exception(FaultInjection kind) {
  switch (kind) {
    case FaultInjection::InvalidOpcode:
      asm volatile("ud2");  // SDM vol 2B UD: raises #UD by definition
      break;
    case FaultInjection::PageFault: {
      // Canonical and in the kernel half, but far beyond the image (the loader maps only the
      // kernel's segments in the top 2 GiB), so the read raises a not-present #PF.
      volatile const uint64_t* unmapped = reinterpret_cast<const uint64_t*>(0xFFFFFFFFC0000000ULL);
      (void)*unmapped;
      break;
    }
    case FaultInjection::GeneralProtection: {
      // A non-canonical address raises #GP(0), not #PF. SDM vol 3A §3.3.7.1.
      volatile const uint64_t* noncanonical =
          reinterpret_cast<const uint64_t*>(0x8000000000000000ULL);
      (void)*noncanonical;
      break;
    }
    case FaultInjection::DivideError: {
      volatile uint32_t zero = 0;
      const uint32_t divisor = zero;  // volatile: the compiler cannot see the division by zero
      uint32_t low = 1;
      uint32_t high = 0;
      asm volatile("divl %[d]" : "+a"(low), "+d"(high) : [d] "r"(divisor));
      break;
    }
    case FaultInjection::StackOverflow: overflow_guarded_stack();
    case FaultInjection::None: break;
  }
}

}  // namespace kernel::arch
