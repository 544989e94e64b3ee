// Frame-pointer stack walking and frame formatting (portable; host-tested with fake stacks).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "debug/symbols.h"
#include "lib/format.h"

namespace kernel {

inline constexpr size_t kMaxBacktraceFrames = 32;

struct AddressRange {
  uint64_t low;   // inclusive
  uint64_t high;  // exclusive
  [[nodiscard]] bool contains(uint64_t address, uint64_t length = 1) const {
    return address >= low && address <= high && length <= high - address;
  }
};

// Follows the rbp chain (System V: [rbp] = caller's rbp, [rbp+8] = return address) from
// `frame_pointer`, storing return addresses. Stops at a null, misaligned or out-of-`stack` frame,
// a return address outside `code`, a chain that does not move up the stack, or after `max`.
// Every read is checked against `stack` first, so a corrupt chain cannot fault.
[[nodiscard]] size_t walk_frame_pointers(uint64_t frame_pointer, AddressRange stack,
                                         AddressRange code, uint64_t* out, size_t max);

// Prints "  #N 0xADDR function+0xOFF" (or "  #N 0xADDR ?"). A return address is looked up at
// address-1 so a call that ends a function is attributed to that function (`is_return`).
void print_frame(OutputSink sink, size_t index, uint64_t address, bool is_return,
                 const SymbolTable& symbols);

}  // namespace kernel
