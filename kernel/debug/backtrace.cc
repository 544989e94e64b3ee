// rbp-chain walker.
#include "debug/backtrace.h"

namespace kernel {

size_t walk_frame_pointers(uint64_t frame_pointer, AddressRange stack, AddressRange code,
                           uint64_t* out, size_t max) {
  size_t count = 0;
  uint64_t frame = frame_pointer;
  while (count < max) {
    if (frame == 0 || (frame & 7) != 0 || !stack.contains(frame, 16)) break;
    const auto* record = reinterpret_cast<const uint64_t*>(frame);
    const uint64_t return_address = record[1];
    if (!code.contains(return_address)) break;
    out[count++] = return_address;
    const uint64_t next = record[0];
    if (next <= frame) break;  // the stack grows down: callers' frames lie strictly above
    frame = next;
  }
  return count;
}

void print_frame(OutputSink sink, size_t index, uint64_t address, bool is_return,
                 const SymbolTable& symbols) {
  SymbolMatch match;
  const uint64_t probe = is_return && address > 0 ? address - 1 : address;
  if (symbols.lookup(probe, &match)) {
    format(sink, "  #%zu 0x%016lx %s+0x%lx\n", index, address, match.name,
           match.offset + (address - probe));
  } else {
    format(sink, "  #%zu 0x%016lx ?\n", index, address);
  }
}

}  // namespace kernel
