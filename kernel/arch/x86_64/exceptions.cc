// Common exception handler: a user-mode exception goes to proc::user_fault (fault handler, or the
// thread is stopped);
// one in the kernel is fatal, so report it completely (vector, error code, CR2, registers,
// symbolized backtrace) and stop.
#include "arch/arch.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/percpu.h"
#include "debug/panic.h"
#include "lib/print.h"
#include "mm/user_copy.h"
#include "proc/process.h"

namespace kernel::x86 {
namespace {

// Set while a report is being printed, so a fault inside the reporter cannot recurse.
volatile int g_reporting = 0;

void print_page_fault_details(OutputSink sink, uint64_t error_code) {
  // SDM vol 3A §4.7 figure 4-12: P, W/R, U/S, RSVD, I/D, PK, SS bits.
  format(sink, "  cr2=%016lx (%s, %s, %s%s%s)\n", read_cr2(),
         (error_code & 1) ? "protection violation" : "not present",
         (error_code & 2) ? "write" : "read", (error_code & 4) ? "user" : "supervisor",
         (error_code & 8) ? ", reserved bit" : "", (error_code & 16) ? ", instruction fetch" : "");
}

}  // namespace

extern "C" void exception_dispatch(InterruptFrame* frame) {
  // A kernel-mode #PF the memory manager expects (a user copy touching an unmapped or
  // protected user page, a self-test probe): resume at its fix-up (mm/user_copy.h).
  if (frame->vector == 14 && (frame->cs & 3) == 0) {
    mm::KernelFaultState state{frame->rip, frame->rsp};
    if (mm::fix_kernel_page_fault(read_cr2(), &state)) {
      frame->rip = state.rip;
      frame->rsp = state.rsp;
      return;
    }
  }
  // From user mode (CPL 3 in the saved CS): the kernel is not at fault. The thread's fault
  // handler gets it, or the thread (its process) is stopped and something else runs; when this
  // returns, the thread resumes from its (possibly rewritten) frame. The entry stub already
  // switched GS to the kernel base.
  if ((frame->cs & 3) == 3 && frame->vector != 2 && frame->vector != 8 && frame->vector != 18) {
    proc::user_fault(frame->vector, frame->error_code, frame->vector == 14 ? read_cr2() : 0,
                     frame->rip);
    return;
  }
  const OutputSink sink = console_sink();
  if (g_reporting != 0) {
    format(sink, "\nnested exception %s (vector %lu) at rip=%016lx while reporting; stopping\n",
           exception_mnemonic(frame->vector), frame->vector, frame->rip);
    stop_on_failure();
  }
  g_reporting = 1;

  format(sink, "\nEXCEPTION: %s %s (vector %lu) error=0x%lx\n", exception_mnemonic(frame->vector),
         exception_name(frame->vector), frame->vector, frame->error_code);
  if (frame->vector == 14) print_page_fault_details(sink, frame->error_code);
  format(sink, "  rip=%016lx cs=%04lx rflags=%016lx\n", frame->rip, frame->cs, frame->rflags);
  format(sink, "  rsp=%016lx ss=%04lx\n", frame->rsp, frame->ss);
  format(sink, "  rax=%016lx rbx=%016lx rcx=%016lx\n", frame->rax, frame->rbx, frame->rcx);
  format(sink, "  rdx=%016lx rsi=%016lx rdi=%016lx\n", frame->rdx, frame->rsi, frame->rdi);
  format(sink, "  rbp=%016lx r8 =%016lx r9 =%016lx\n", frame->rbp, frame->r8, frame->r9);
  format(sink, "  r10=%016lx r11=%016lx r12=%016lx\n", frame->r10, frame->r11, frame->r12);
  format(sink, "  r13=%016lx r14=%016lx r15=%016lx\n", frame->r13, frame->r14, frame->r15);
  arch::print_control_registers(sink);
  // The faulting instruction is frame #0 (not a return address); its callers follow via rbp.
  print_backtrace(sink, frame->rip, frame->rbp);
  stop_on_failure();
}

}  // namespace kernel::x86
