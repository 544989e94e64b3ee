// memhog: allocates 64 KiB blocks until the heap runs out, touching every page of each, then
// exits with kExitNoMemory. Shows that running out of memory is a clean nullptr, and that one
// program's appetite is bounded by its own untyped (manifest `heap=`), not the system's memory.
#include "mu_client.h"
#include "mu_user.h"
#include "mu_runtime.h"

using namespace mu::user;

namespace {
constexpr size_t kBlockBytes = 64 * 1024;
constexpr size_t kPageBytes = 4096;
}  // namespace

extern "C" int64_t mu_main(const StartInfo*) {
  uint64_t blocks = 0;
  for (;;) {
    auto* block = static_cast<volatile uint8_t*>(heap_alloc(kBlockBytes));
    if (block == nullptr) break;
    for (size_t i = 0; i < kBlockBytes; i += kPageBytes) block[i] = static_cast<uint8_t>(blocks);
    block[kBlockBytes - 1] = 0xAA;
    ++blocks;
  }
  const HeapStats stats = heap_stats();
  console_print("memhog: allocated %lu KiB then ran out (heap mapped %lu KiB, %lu failed)\n",
                blocks * (kBlockBytes / 1024), stats.mapped_bytes / 1024,
                stats.failed_allocations);
  return kExitNoMemory;
}
