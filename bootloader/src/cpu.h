// x86-64 instructions muboot needs: TSC, CPUID, MSRs, control registers and port I/O.
#pragma once

#include <stdint.h>

namespace muboot::cpu {

inline uint64_t rdtsc() {
  uint32_t lo = 0;
  uint32_t hi = 0;
  asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return (static_cast<uint64_t>(hi) << 32) | lo;
}

struct CpuidResult {
  uint32_t eax, ebx, ecx, edx;
};

inline CpuidResult cpuid(uint32_t leaf, uint32_t subleaf = 0) {
  CpuidResult r{};
  asm volatile("cpuid"
               : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
               : "a"(leaf), "c"(subleaf));
  return r;
}

inline uint64_t rdmsr(uint32_t msr) {
  uint32_t lo = 0;
  uint32_t hi = 0;
  asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
  return (static_cast<uint64_t>(hi) << 32) | lo;
}

inline void wrmsr(uint32_t msr, uint64_t value) {
  asm volatile("wrmsr" ::"c"(msr), "a"(static_cast<uint32_t>(value)),
               "d"(static_cast<uint32_t>(value >> 32)));
}

inline uint64_t read_cr4() {
  uint64_t value = 0;
  asm volatile("mov %%cr4, %0" : "=r"(value));
  return value;
}

inline void outb(uint16_t port, uint8_t value) {
  asm volatile("outb %0, %1" ::"a"(value), "Nd"(port));
}

inline uint8_t inb(uint16_t port) {
  uint8_t value = 0;
  asm volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
  return value;
}

[[noreturn]] inline void halt_forever() {
  for (;;) asm volatile("cli; hlt");
}

// Intel SDM vol 2A CPUID leaf 80000001H: EDX bit 26 = 1-GByte pages.
[[nodiscard]] inline bool has_1gib_pages() {
  if (cpuid(0x80000000).eax < 0x80000001) return false;
  return (cpuid(0x80000001).edx & (1U << 26)) != 0;
}

inline constexpr uint32_t kMsrEfer = 0xC0000080;
inline constexpr uint64_t kEferNxe = 1ULL << 11;  // Intel SDM vol 3A §2.2.1
inline constexpr uint64_t kCr4La57 = 1ULL << 12;  // 5-level paging active

}  // namespace muboot::cpu
