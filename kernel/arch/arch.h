// What every architecture provides to the generic kernel; x86_64 implements it in arch/x86_64/.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "arch/io_port.h"
#include "debug/backtrace.h"
#include "lib/cmdline.h"

namespace kernel::arch {

// Loads the kernel's own descriptor tables (GDT/TSS/IDT on x86_64). Called once from _start.
extern "C" void arch_early_init();

// Moves the exception stacks (the NMI, double-fault and machine-check IST stacks on x86_64)
// from the image's .bss onto guarded kernel stacks. Called once, right after mm::init.
void install_guarded_exception_stacks();

// Enables the CPU protection features the kernel relies on (write protection, NX, SMEP, ...)
// and returns a short human-readable list of what was turned on.
[[nodiscard]] const char* enable_cpu_protections();

// The serial console (a byte sink for kernel::console_register).
void serial_init();
[[nodiscard]] OutputSink serial_sink();

// The platform's I/O ports.
[[nodiscard]] IoPorts& io_ports();

// Stops this CPU for good: interrupts off, halt in a loop.
[[noreturn]] void halt_forever();

// Leaves QEMU through its isa-debug-exit device (exit status code*2+1). Returns when the device
// is absent, e.g. on real hardware.
void qemu_debug_exit(uint8_t code);

[[nodiscard]] uint64_t read_timestamp();

// Where the current code's frames and the kernel's code live, for bounded backtraces.
[[nodiscard]] AddressRange kernel_stack_range();
[[nodiscard]] AddressRange kernel_code_range();

// Registers at a call site, for panic reports.
struct CallerContext {
  uint64_t instruction_pointer;
  uint64_t stack_pointer;
  uint64_t frame_pointer;
};
void print_control_registers(OutputSink sink);

// Executes an instruction that raises the requested exception (fault= command-line option).
void raise_exception(FaultInjection kind);

}  // namespace kernel::arch
