// Builds a program from an initrd ELF inside one arena (a child Untyped of init's pool) and tears
// it down again (docs/protocols.md "init", mu/program.h).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "manifest.h"
#include "mu/program.h"

namespace init {

// Badge bit of fault endpoint capabilities: badge = kFaultBadgeBit | pid.
inline constexpr uint64_t kFaultBadgeBit = uint64_t{1} << 40;
inline constexpr uint64_t kPidMask = kFaultBadgeBit - 1;

struct ProgramRequest {
  const char* path = nullptr;  // initrd path of the ELF
  const char* name = nullptr;  // service name; nullptr: the program's file name
  const char* args = "";       // further arguments, separated by spaces
  uint64_t priority = 100;
  uint64_t arg = 0;           // rdi at entry (test harness argument)
  uint64_t memory_bytes = 0;  // budget for init-made objects; 0: what the image needs
  uint64_t heap_bytes = 0;    // its own Untyped (kProgSlotUntyped); rounded up to a power of two
  const ServiceSpec* grants = nullptr;  // ports, IRQs and framebuffer from a manifest line
  bool quiet_errors = false;
};

struct Program {
  uint64_t pid = 0;
  uint64_t arena = 0;  // init's slot of the arena Untyped (0: not built)
  unsigned arena_bits = 0;
  uint64_t cnode = 0;  // init's slots of its root CNode, TCB and the CNode holding its frames
  unsigned cnode_radix = 0;  // its root CNode has 2^cnode_radix slots
  uint64_t tcb = 0;
  uint64_t keep = 0;
  uint64_t priority = 0;
  char name[mu::kProgramNameMax] = {};
};

// Kernel command-line flags copied into every ProgramStart (kProgramFlag*), and the boot TSC.
void builder_init(uint64_t start_flags, uint64_t boot_tsc, uint64_t init_endpoint);

// Builds and starts the program; `pid` is the id it gets. On failure logs
// `init: cannot start <name>: <why>`, tears down what was made and returns the status.
int64_t build_program(const ProgramRequest& request, uint64_t pid, Program* out);

// Stops the thread and frees everything made for the program (revoking its arena).
void teardown_program(Program* program);

}  // namespace init
