// The empty symbol table of the stage-1 link; the final link replaces it with the generated one.
#include "debug/symbols.h"

namespace {
[[gnu::section(".ksyms")]] const kernel::KernelSymbol kNoSymbols[1] = {{0, 0, 0}};
[[gnu::section(".ksyms")]] const char kNoNames[1] = "";
}  // namespace

extern "C" [[gnu::section(".ksyms")]] const kernel::KernelSymbolTable mu_kernel_symbols = {
    0, 1, kNoSymbols, kNoNames};
