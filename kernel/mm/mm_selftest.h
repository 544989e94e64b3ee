// Boot-time self test of the memory manager (kernel command line `ktest=mm`).
#pragma once

namespace kernel::mm {

// Runs every check, prints `ktest: mm: PASS|FAIL <check>` lines and a summary line
// `ktest: mm: N passed, M failed`. Returns true when nothing failed. Precondition: mm::init ran
// and no user address space is active.
[[nodiscard]] bool run_selftest();

}  // namespace kernel::mm
