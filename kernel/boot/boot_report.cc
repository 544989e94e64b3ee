// The boot report. The first and last lines are a parsed interface: change them only together
// with the system tests.
#include "boot/boot_report.h"

#include "mu/cpio.h"

namespace kernel {

void print_size(OutputSink sink, uint64_t bytes) {
  if (bytes >= (1ULL << 30) && bytes % (1ULL << 30) == 0)
    format(sink, "%lu GiB", bytes >> 30);
  else if (bytes >= (1ULL << 20))
    format(sink, "%lu MiB", bytes >> 20);
  else if (bytes >= (1ULL << 10))
    format(sink, "%lu KiB", bytes >> 10);
  else
    format(sink, "%lu B", bytes);
}

BootSummary print_boot_report(OutputSink sink, const mu::BootInfo& info, const uint8_t* initrd,
                              uint64_t kernel_tsc) {
  BootSummary summary{};
  summary.usable_bytes = mu::bootinfo_bytes_of(info, mu::MemoryType::Usable);
  const mu::Framebuffer& fb = info.framebuffer;
  const bool has_fb = fb.format != mu::PixelFormat::None;
  format(sink,
         "bootinfo: version=%u usable_kib=%lu regions=%u fb=%ux%u@%u rsdp=0x%lx initrd_bytes=%lu "
         "cmdline=\"%s\"\n",
         info.version, summary.usable_bytes / 1024, info.region_count, has_fb ? fb.width : 0,
         has_fb ? fb.height : 0, has_fb ? fb.bpp : 0, info.rsdp, info.initrd_size, info.cmdline);

  for (uint32_t i = 0; i < info.region_count; ++i) {
    const mu::MemoryRegion& region = info.regions[i];
    format(sink, "  [%016lx-%016lx) %-16s ", region.base, region.base + region.length,
           mu::memory_type_name(region.type));
    print_size(sink, region.length);
    format(sink, "\n");
  }

  summary.initrd_ok = true;
  if (initrd != nullptr) {
    mu::CpioReader reader(initrd, info.initrd_size);
    mu::CpioEntry entry;
    for (;;) {
      const size_t offset = reader.offset();
      const mu::CpioError error = reader.next(&entry);
      if (error == mu::CpioError::End) break;
      if (error != mu::CpioError::None) {
        format(sink, "initrd: error: %s at offset %zu\n", mu::cpio_error_string(error), offset);
        summary.initrd_ok = false;
        break;
      }
      format(sink, "initrd: %lu %s\n", entry.size, entry.name);
      ++summary.initrd_entries;
    }
  }

  format(sink, "boot: loader_tsc=%lu exit_tsc=%lu kernel_tsc=%lu\n", info.loader_tsc, info.exit_tsc,
         kernel_tsc);
  return summary;
}

}  // namespace kernel
