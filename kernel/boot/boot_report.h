// BootInfo intake: validation and the machine-readable boot report that system tests parse.
#pragma once

#include <stdint.h>

#include "lib/format.h"
#include "mu/bootinfo.h"

namespace kernel {

// What the kernel learned from the loader, in kernel terms.
struct BootSummary {
  uint64_t usable_bytes;
  uint64_t initrd_entries;  // entries listed before the trailer or the first error
  bool initrd_ok;
};

// Prints, in this order:
//   bootinfo: version=V usable_kib=N regions=N fb=WxH@BPP rsdp=0xHEX initrd_bytes=N cmdline="..."
//   one "  [base-end) type size" line per memory region
//   one "initrd: <size> <path>" line per cpio entry (or "initrd: error: <reason> at offset N")
//   boot: loader_tsc=N exit_tsc=N kernel_tsc=N
// `initrd` is where the archive can be read (nullptr when BootInfo names none).
BootSummary print_boot_report(OutputSink sink, const mu::BootInfo& info, const uint8_t* initrd,
                              uint64_t kernel_tsc);

// Prints a byte count as "N KiB" / "N MiB" / "N GiB" (whole units, rounded down; bytes if < 1 KiB).
void print_size(OutputSink sink, uint64_t bytes);

}  // namespace kernel
