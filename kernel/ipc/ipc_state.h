// Per-thread IPC state (kernel/ipc owns every field; other code only reads `waiting`).
#pragma once

#include <stdint.h>

namespace kernel::sched {
class Thread;
}

namespace kernel::ipc {

// What a blocked thread waits for.
enum class IpcWait : uint8_t {
  None,
  Send,          // queued on an endpoint to send (or call)
  Recv,          // queued on an endpoint to receive
  Reply,         // called, waiting for the reply
  Notification,  // waiting on a notification
};

struct IpcState {
  IpcWait waiting = IpcWait::None;
  sched::Thread* queue_next = nullptr;  // endpoint/notification wait-queue links
  sched::Thread* queue_prev = nullptr;
  void* object = nullptr;  // kernel view of the endpoint/notification/reply waited on
  uint64_t badge = 0;      // badge of the capability a pending send/call used
  uint64_t flags = 0;      // pending operation details (kernel/ipc)
};

}  // namespace kernel::ipc
