// A chain of non-inlined functions ending in an exception. The empty asm after each call keeps
// the call from becoming a tail jump, so every level keeps its frame in the backtrace.
#include "debug/fault_injection.h"

#include "arch/arch.h"

namespace kernel {

[[gnu::noinline]] void fault_injection_level3(FaultInjection kind) {
  arch::raise_exception(kind);
  asm volatile("" ::: "memory");
}

[[gnu::noinline]] void fault_injection_level2(FaultInjection kind) {
  fault_injection_level3(kind);
  asm volatile("" ::: "memory");
}

[[gnu::noinline]] void fault_injection_level1(FaultInjection kind) {
  fault_injection_level2(kind);
  asm volatile("" ::: "memory");
}

void inject_fault(FaultInjection kind) {
  fault_injection_level1(kind);
  asm volatile("" ::: "memory");
}

}  // namespace kernel
