// x86-64 instruction wrappers: port I/O, control registers, MSRs, CPUID, TSC (Intel SDM vol 2).
#pragma once

#include <stdint.h>

namespace kernel::x86 {

inline uint8_t inb(uint16_t port) {
  uint8_t value;
  asm volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
  return value;
}
inline uint16_t inw(uint16_t port) {
  uint16_t value;
  asm volatile("inw %1, %0" : "=a"(value) : "Nd"(port));
  return value;
}
inline uint32_t inl(uint16_t port) {
  uint32_t value;
  asm volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
  return value;
}
inline void outb(uint16_t port, uint8_t value) {
  asm volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}
inline void outw(uint16_t port, uint16_t value) {
  asm volatile("outw %0, %1" : : "a"(value), "Nd"(port));
}
inline void outl(uint16_t port, uint32_t value) {
  asm volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}

inline uint64_t rdtsc() {
  uint32_t low, high;
  asm volatile("rdtsc" : "=a"(low), "=d"(high));
  return (static_cast<uint64_t>(high) << 32) | low;
}

#define MU_X86_CONTROL_REGISTER(n)                             \
  inline uint64_t read_cr##n() {                               \
    uint64_t value;                                            \
    asm volatile("mov %%cr" #n ", %0" : "=r"(value));          \
    return value;                                              \
  }                                                            \
  inline void write_cr##n(uint64_t value) {                    \
    asm volatile("mov %0, %%cr" #n : : "r"(value) : "memory"); \
  }
MU_X86_CONTROL_REGISTER(0)
MU_X86_CONTROL_REGISTER(2)
MU_X86_CONTROL_REGISTER(3)
MU_X86_CONTROL_REGISTER(4)
#undef MU_X86_CONTROL_REGISTER

inline uint64_t rdmsr(uint32_t msr) {
  uint32_t low, high;
  asm volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
  return (static_cast<uint64_t>(high) << 32) | low;
}
inline void wrmsr(uint32_t msr, uint64_t value) {
  asm volatile("wrmsr"
               :
               : "c"(msr), "a"(static_cast<uint32_t>(value)),
                 "d"(static_cast<uint32_t>(value >> 32)));
}

struct CpuidResult {
  uint32_t eax, ebx, ecx, edx;
};
inline CpuidResult cpuid(uint32_t leaf, uint32_t subleaf = 0) {
  CpuidResult r;
  asm volatile("cpuid"
               : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
               : "a"(leaf), "c"(subleaf));
  return r;
}

inline uint64_t read_rflags() {
  uint64_t value;
  asm volatile("pushfq; popq %0" : "=r"(value));
  return value;
}

// Intel SDM vol 3A §2.5 (control registers) and §2.2.1 (EFER).
inline constexpr uint64_t kCr0WriteProtect = 1ULL << 16;
inline constexpr uint64_t kCr4Umip = 1ULL << 11;
inline constexpr uint64_t kCr4Smep = 1ULL << 20;
inline constexpr uint64_t kCr4Smap = 1ULL << 21;
inline constexpr uint32_t kMsrEfer = 0xC0000080;
inline constexpr uint64_t kEferNxe = 1ULL << 11;

}  // namespace kernel::x86
