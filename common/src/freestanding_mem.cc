// memcpy/memmove/memset/memcmp/strlen for freestanding targets without a C library (the kernel).
// GCC emits calls to the first four even with -ffreestanding (GCC manual, "C Dialect Options":
// "GCC requires the freestanding environment provide memcpy, memmove, memset and memcmp").
#include <stddef.h>
#include <stdint.h>

// Without this, -O2 recognises each loop below as the very function it implements and turns it
// into a call to itself (loop distribution, -ftree-loop-distribute-patterns).
#define MU_NO_LIBCALL_PATTERNS __attribute__((optimize("no-tree-loop-distribute-patterns")))

extern "C" {

// On x86-64, REP MOVSB / REP STOSB: with ERMS (Intel SDM vol 1 §7.3.9.3, optimization manual
// "Enhanced REP MOVSB and STOSB") they are the fast way for all but tiny sizes, and they keep
// page-sized clears cheap in the kernel's boot path. DF is clear in both kernel and user code.
MU_NO_LIBCALL_PATTERNS void* memcpy(void* __restrict dst, const void* __restrict src, size_t n) {
#if defined(__x86_64__)
  void* d = dst;
  asm volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
#else
  auto* d = static_cast<uint8_t*>(dst);
  const auto* s = static_cast<const uint8_t*>(src);
  for (size_t i = 0; i < n; ++i) d[i] = s[i];
#endif
  return dst;
}

MU_NO_LIBCALL_PATTERNS void* memmove(void* dst, const void* src, size_t n) {
  auto* d = static_cast<uint8_t*>(dst);
  const auto* s = static_cast<const uint8_t*>(src);
  // Compare as integers: relational comparison of pointers into different objects is
  // unspecified in C++, and the buffers may be unrelated.
  if (reinterpret_cast<uintptr_t>(d) <= reinterpret_cast<uintptr_t>(s)) {
    for (size_t i = 0; i < n; ++i) d[i] = s[i];
  } else {
    // Destination above source: copy from the end so an overlap is read before overwritten.
    for (size_t i = n; i > 0; --i) d[i - 1] = s[i - 1];
  }
  return dst;
}

MU_NO_LIBCALL_PATTERNS void* memset(void* dst, int value, size_t n) {
#if defined(__x86_64__)
  void* d = dst;
  asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(value) : "memory");
#else
  auto* d = static_cast<uint8_t*>(dst);
  const auto byte = static_cast<uint8_t>(value);
  for (size_t i = 0; i < n; ++i) d[i] = byte;
#endif
  return dst;
}

MU_NO_LIBCALL_PATTERNS int memcmp(const void* a, const void* b, size_t n) {
  const auto* x = static_cast<const uint8_t*>(a);
  const auto* y = static_cast<const uint8_t*>(b);
  for (size_t i = 0; i < n; ++i) {
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return 0;
}

MU_NO_LIBCALL_PATTERNS size_t strlen(const char* s) {
  size_t n = 0;
  while (s[n] != '\0') ++n;
  return n;
}

}  // extern "C"
