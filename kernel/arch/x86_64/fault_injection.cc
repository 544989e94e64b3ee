// Instructions that raise specific exceptions, for the fault= system tests of the trap path.
#include "arch/arch.h"

namespace kernel::arch {

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
      volatile const uint64_t* noncanonical = reinterpret_cast<const uint64_t*>(0x8000000000000000ULL);
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
    case FaultInjection::None:
      break;
  }
}

}  // namespace kernel::arch
