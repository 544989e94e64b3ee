// Names the shell prints (names.h).
#include "names.h"

#include "mu/cap_abi.h"
#include "mu/proto/console.h"
#include "mu/proto/init.h"
#include "mu/syscall.h"

namespace shell {

const char* object_type_name(uint64_t type) {
  static constexpr const char* kNames[] = {
      "Null",     "Untyped",   "CNode",         "Tcb",       "Endpoint",   "Notification",
      "Reply",    "VSpace",    "Pdpt",          "PageDirectory", "PageTable", "Frame4K",
      "Frame2M",  "IrqControl", "IrqHandler",   "IoPort",
  };
  static_assert(sizeof(kNames) / sizeof(kNames[0]) == mu::kObjectTypeCount);
  return type < mu::kObjectTypeCount ? kNames[type] : nullptr;
}

void rights_letters(uint64_t rights, char out[5]) {
  out[0] = (rights & mu::kRightRead) != 0 ? 'r' : '-';
  out[1] = (rights & mu::kRightWrite) != 0 ? 'w' : '-';
  out[2] = (rights & mu::kRightGrant) != 0 ? 'g' : '-';
  out[3] = (rights & mu::kRightGrantReply) != 0 ? 'R' : '-';
  out[4] = '\0';
}

const char* proc_state_name(uint64_t state) {
  using mu::proto::init::ProcState;
  switch (static_cast<ProcState>(state)) {
    case ProcState::Running: return "running";
    case ProcState::Blocked: return "blocked";
    case ProcState::Stopped: return "stopped";
    case ProcState::Restarting: return "restarting";
    case ProcState::Failed: return "failed";
  }
  return "?";
}

const char* exception_name(uint64_t vector) {
  // Intel SDM vol. 3A §6.3.1, table 6-1 (vectors 0-21).
  static constexpr const char* kNames[] = {
      "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", nullptr, "#TS",
      "#NP", "#SS", "#GP", "#PF", nullptr, "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
  };
  return vector < sizeof(kNames) / sizeof(kNames[0]) ? kNames[vector] : nullptr;
}

const char* status_text(int64_t status) {
  if (status == mu::proto::console::kInterrupted) return "interrupted";
  if (status == mu::proto::console::kBusy) return "console busy";
  return mu::status_string(static_cast<mu::Status>(status));
}

}  // namespace shell
