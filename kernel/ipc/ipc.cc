// Placeholder until the IPC implementation lands: no object of these types holds state yet.
#include "ipc/ipc.h"

namespace kernel::ipc {

void endpoint_destroyed(uint64_t) {}
void notification_destroyed(uint64_t) {}
void reply_destroyed(uint64_t) {}
void cancel_ipc(sched::Thread*) {}
void signal_notification(uint64_t, uint64_t) {}
bool deliver_fault(sched::Thread*, uint64_t, uint64_t, uint64_t, uint64_t) { return false; }

}  // namespace kernel::ipc
