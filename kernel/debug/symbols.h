// Function-symbol lookup over the table the build generates from the stage-1 link
// (debug/gen_ksyms.py).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace kernel {

// One function symbol; the table is sorted by address and `name_offset` indexes the name blob.
struct KernelSymbol {
  uint64_t address;
  uint32_t name_offset;
  uint32_t reserved;
};

// Layout of the generated table (section .ksyms, linked last so it cannot move other code).
struct KernelSymbolTable {
  uint64_t count;
  uint64_t names_size;
  const KernelSymbol* symbols;
  const char* names;
};

struct SymbolMatch {
  const char* name;
  uint64_t offset;  // address - symbol address
};

class SymbolTable {
 public:
  // `code_end` bounds the last symbol (its size is not recorded).
  SymbolTable(const KernelSymbolTable& table, uint64_t code_end)
      : table_(table), code_end_(code_end) {}

  // Finds the function containing `address`: the greatest symbol at or below it, provided the next
  // symbol (or the end of code) lies above it. Returns false for addresses outside every function.
  [[nodiscard]] bool lookup(uint64_t address, SymbolMatch* match) const;

  [[nodiscard]] size_t size() const { return table_.count; }

 private:
  KernelSymbolTable table_;
  uint64_t code_end_;
};

}  // namespace kernel

// The table linked into the kernel: empty in the stage-1 link, generated for the final link.
extern "C" const kernel::KernelSymbolTable mu_kernel_symbols;
