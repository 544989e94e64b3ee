// IDT construction: 64-bit interrupt gates for the 32 exception vectors and the IRQ vectors 32-255.
#include "arch/x86_64/idt.h"

#include <stddef.h>

#include "arch/x86_64/gdt.h"

extern "C" const uint64_t isr_stub_table[kernel::x86::kExceptionVectors];
extern "C" const uint64_t irq_stub_table[256 - kernel::x86::kExceptionVectors];

namespace kernel::x86 {
namespace {

// SDM vol 3A §6.14.1 figure 6-8.
struct IdtGate {
  uint16_t offset_low;
  uint16_t selector;
  uint8_t ist;
  uint8_t type_attributes;
  uint16_t offset_middle;
  uint32_t offset_high;
  uint32_t reserved;
};
static_assert(sizeof(IdtGate) == 16);

struct [[gnu::packed]] DescriptorPointer {
  uint16_t limit;
  uint64_t base;
};

// Present, DPL 0, 64-bit interrupt gate (type 0xE: interrupts stay off in the handler).
constexpr uint8_t kInterruptGate = 0x8E;

alignas(16) IdtGate g_idt[256];

struct ExceptionInfo {
  const char* mnemonic;
  const char* name;
};

// SDM vol 3A §6.15 table 6-1.
constexpr ExceptionInfo kExceptions[kExceptionVectors] = {
    {"#DE", "Divide Error"},
    {"#DB", "Debug"},
    {"NMI", "Non-Maskable Interrupt"},
    {"#BP", "Breakpoint"},
    {"#OF", "Overflow"},
    {"#BR", "BOUND Range Exceeded"},
    {"#UD", "Invalid Opcode"},
    {"#NM", "Device Not Available"},
    {"#DF", "Double Fault"},
    {"CSO", "Coprocessor Segment Overrun"},
    {"#TS", "Invalid TSS"},
    {"#NP", "Segment Not Present"},
    {"#SS", "Stack-Segment Fault"},
    {"#GP", "General Protection"},
    {"#PF", "Page Fault"},
    {"#15", "Reserved"},
    {"#MF", "x87 Floating-Point Error"},
    {"#AC", "Alignment Check"},
    {"#MC", "Machine Check"},
    {"#XM", "SIMD Floating-Point Exception"},
    {"#VE", "Virtualization Exception"},
    {"#CP", "Control Protection Exception"},
    {"#22", "Reserved"},
    {"#23", "Reserved"},
    {"#24", "Reserved"},
    {"#25", "Reserved"},
    {"#26", "Reserved"},
    {"#27", "Reserved"},
    {"#HV", "Hypervisor Injection Exception"},
    {"#VC", "VMM Communication Exception"},
    {"#SX", "Security Exception"},
    {"#31", "Reserved"},
};

uint8_t ist_for_vector(unsigned vector) {
  switch (vector) {
    case 2: return kIstNmi;
    case 8: return kIstDoubleFault;
    case 18: return kIstMachineCheck;
    default: return 0;  // the current stack
  }
}

}  // namespace

void idt_init() {
  for (unsigned vector = 0; vector < 256; ++vector) {
    // Exceptions go to exception_dispatch, vectors 32-255 (IRQs, IPIs, the LAPIC spurious
    // vector 0xFF) to irq::dispatch (interrupts.cc), which counts unexpected ones.
    const uint64_t handler = vector < kExceptionVectors
                                 ? isr_stub_table[vector]
                                 : irq_stub_table[vector - kExceptionVectors];
    IdtGate& gate = g_idt[vector];
    gate.offset_low = static_cast<uint16_t>(handler);
    gate.selector = kKernelCodeSelector;
    gate.ist = ist_for_vector(vector);
    gate.type_attributes = kInterruptGate;
    gate.offset_middle = static_cast<uint16_t>(handler >> 16);
    gate.offset_high = static_cast<uint32_t>(handler >> 32);
    gate.reserved = 0;
  }
  const DescriptorPointer pointer{sizeof(g_idt) - 1, reinterpret_cast<uint64_t>(g_idt)};
  asm volatile("lidt %0" : : "m"(pointer));
}

const char* exception_mnemonic(uint64_t vector) {
  return vector < kExceptionVectors ? kExceptions[vector].mnemonic : "IRQ";
}

const char* exception_name(uint64_t vector) {
  return vector < kExceptionVectors ? kExceptions[vector].name : "Interrupt";
}

}  // namespace kernel::x86
