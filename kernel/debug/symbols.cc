// Binary search in the generated symbol table.
#include "debug/symbols.h"

namespace kernel {

bool SymbolTable::lookup(uint64_t address, SymbolMatch* match) const {
  const KernelSymbol* symbols = table_.symbols;
  size_t low = 0;
  size_t high = table_.count;  // find the first symbol with address > `address`
  while (low < high) {
    const size_t mid = low + (high - low) / 2;
    if (symbols[mid].address <= address)
      low = mid + 1;
    else
      high = mid;
  }
  if (low == 0) return false;
  const KernelSymbol& symbol = symbols[low - 1];
  const uint64_t end = low < table_.count ? symbols[low].address : code_end_;
  if (address >= end) return false;
  if (symbol.name_offset >= table_.names_size) return false;  // a corrupt table names nothing
  match->name = table_.names + symbol.name_offset;
  match->offset = address - symbol.address;
  return true;
}

}  // namespace kernel
