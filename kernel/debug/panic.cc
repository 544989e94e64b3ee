// panic(), backtrace printing with the kernel's symbol table, and the fatal-stop policy.
#include "debug/panic.h"

#include "arch/arch.h"
#include "debug/backtrace.h"
#include "debug/symbols.h"
#include "lib/print.h"

namespace kernel {
namespace {
bool g_test_mode = false;
volatile int g_panicking = 0;
}  // namespace

void set_test_mode(bool enabled) { g_test_mode = enabled; }
bool test_mode() { return g_test_mode; }

void stop_on_failure() {
  if (g_test_mode) {
    kprintf("kernel: test mode: exiting QEMU with failure\n");
    console_flush();
    arch::qemu_debug_exit(1);
  }
  kprintf("kernel: halted\n");
  console_flush();
  arch::halt_forever();
}

void print_backtrace(OutputSink sink, uint64_t instruction_pointer, uint64_t frame_pointer) {
  const SymbolTable symbols(mu_kernel_symbols, arch::kernel_code_range().high);
  uint64_t frames[kMaxBacktraceFrames];
  const size_t count =
      walk_frame_pointers(frame_pointer, arch::kernel_stack_range(), arch::kernel_code_range(),
                          frames, kMaxBacktraceFrames - 1);
  format(sink, "backtrace:\n");
  print_frame(sink, 0, instruction_pointer, false, symbols);
  for (size_t i = 0; i < count; ++i) print_frame(sink, i + 1, frames[i], true, symbols);
}

void panic(const char* fmt, ...) {
  const OutputSink sink = console_sink();
  if (g_panicking != 0) {
    format(sink, "\nnested panic; stopping\n");
    stop_on_failure();
  }
  g_panicking = 1;
  format(sink, "\nPANIC: ");
  va_list args;
  va_start(args, fmt);
  vformat(sink, fmt, args);
  va_end(args);
  // The caller's context: where panic() was called from and that frame's stack.
  const auto caller_rip = reinterpret_cast<uint64_t>(__builtin_return_address(0));
  const auto* own_frame = static_cast<const uint64_t*>(__builtin_frame_address(0));
  format(sink, "\n  caller rip=%016lx rbp=%016lx rsp=%016lx\n", caller_rip, own_frame[0],
         reinterpret_cast<uint64_t>(own_frame + 2));
  arch::print_control_registers(sink);
  print_backtrace(sink, caller_rip, own_frame[0]);
  stop_on_failure();
}

}  // namespace kernel

// Called if a pure virtual function is ever invoked (an object used during construction).
extern "C" void __cxa_pure_virtual() { kernel::panic("pure virtual function called"); }
