// The native runtime beyond raw syscalls (mu_user.h, mu_caps.h): formatting and strings, the
// program's start page, slot allocation in its own CNode, and the heap. docs/protocols.md
// "Runtime" describes it. Programs started by init use all of it; init itself (started by the
// kernel) uses formatting and strings only.
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "mu/program.h"

namespace mu::user {

// ---- Formatting and strings ----

// printf subset into `buf` (always NUL-terminated when size > 0): %s %c %d %u %x %p %%, with
// l/ll accepted (all integers are 64-bit), width and '-' / '0' flags (e.g. %-12s %8lu %04x).
// Returns the length the full output would have (as snprintf).
size_t format(char* buf, size_t size, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
size_t vformat(char* buf, size_t size, const char* fmt, va_list args);

bool string_equal(const char* a, const char* b);
// Copies at most size-1 bytes and terminates; returns the length copied.
size_t copy_string(char* dst, size_t size, const char* src);
// Decimal or 0x-hex unsigned number filling all of s[0..len); false if not a number or overflow.
bool parse_u64(const char* s, size_t len, uint64_t* out);

// ---- Start page (programs init started) ----

// The ProgramStart page at kProgramStartAddr; nullptr when its magic is wrong (e.g. in init).
const ProgramStart* program_start();
// argv[i] or nullptr.
const char* program_arg(uint64_t i);

// ---- Slots of the program's own root CNode ----

// A free slot from ProgramStart::first_free_slot up, or 0 when none is left.
uint64_t slot_alloc();
// Deletes whatever the slot holds and makes it free again.
void slot_free(uint64_t slot);

// ---- Heap ----
// Pages come from the program's own untyped (kProgSlotUntyped): Frame4K objects (and the page
// tables they need) retyped into fresh slots and mapped from kProgramHeapBase up. When the
// untyped is exhausted, heap_alloc returns nullptr (and operator new calls exit(kExitNoMemory)).

void* heap_alloc(size_t bytes);  // 16-byte aligned; nullptr when out of memory
void heap_free(void* p);         // nullptr is allowed
struct HeapStats {
  uint64_t mapped_bytes;  // pages mapped so far
  uint64_t used_bytes;    // handed out and not freed
  uint64_t failed_allocations;
};
HeapStats heap_stats();

inline constexpr int64_t kExitNoMemory = 12;  // exit code after a failed operator new

}  // namespace mu::user
