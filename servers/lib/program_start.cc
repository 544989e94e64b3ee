// The ProgramStart page init maps read-only at kProgramStartAddr (mu/program.h).
#include "mu_caps.h"
#include "mu_runtime.h"

namespace mu::user {
namespace {

// Whether this program was started by init (and so has a start page). The root task has no
// page at kProgramStartAddr and reading it would fault, so look at slot 4 first: in a program
// init starts it is init's endpoint, in the root task the IRQ control capability.
bool started_by_init() {
  static int known = -1;  // -1: not asked yet
  if (known < 0) {
    CapInfo info{};
    known = cap_identify(kProgSlotInit, &info) >= 0 && info.type == ObjectType::Endpoint ? 1 : 0;
  }
  return known == 1;
}

}  // namespace

const ProgramStart* program_start() {
  if (!started_by_init()) return nullptr;
  const auto* start = reinterpret_cast<const ProgramStart*>(kProgramStartAddr);
  return start->magic == kProgramStartMagic ? start : nullptr;
}

const char* program_arg(uint64_t i) {
  const ProgramStart* start = program_start();
  if (start == nullptr || i >= start->argc || i >= kMaxProgramArgs) return nullptr;
  const uint32_t offset = start->argv_offset[i];
  // The argument must end inside `args`: a bad page gives nullptr, not a read past it.
  for (uint32_t end = offset; end < kProgramArgBytes; ++end) {
    if (start->args[end] == '\0') return start->args + offset;
  }
  return nullptr;
}

}  // namespace mu::user
