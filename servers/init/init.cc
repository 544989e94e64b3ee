// init, the root task (placeholder). The kernel has no syscalls yet, so init can only spin;
// later it reads its service manifest from the initrd and starts the servers (NOTES.md §5).
#include <stdint.h>

namespace {

// Visible in a debugger: proof that init runs, and in which segment each kind of data lands.
const char kBanner[] = "muOS init (placeholder: no syscalls yet)";
const char* volatile banner_seen = nullptr;  // .bss: zero-filled by the loader
volatile uint64_t spin_count = 1;            // .data: must be loaded from the file

}  // namespace

// Entry point named by servers/user.ld. There is no C runtime: no argv, no static constructors.
extern "C" [[noreturn]] __attribute__((section(".text.start"))) void _start() {
  banner_seen = kBanner;
  for (;;) {
    spin_count = spin_count + 1;
    __builtin_ia32_pause();
  }
}
