// Per-thread IPC state (kernel/ipc owns every field; other code only reads `waiting`).
#pragma once

#include <stdint.h>

namespace kernel::sched {
class Thread;
}

namespace kernel::ipc {

struct Endpoint;
struct Notification;
struct ReplyObject;

// What a blocked thread waits for.
enum class IpcWait : uint8_t {
  None,
  Send,          // queued on an endpoint to send (or call)
  Recv,          // queued on an endpoint to receive
  Reply,         // called, waiting for the reply
  Notification,  // waiting on a notification
};

// IpcState::flags bits.
inline constexpr uint64_t kIpcCall = 1u << 0;   // the pending send is a Call
inline constexpr uint64_t kIpcGrant = 1u << 1;  // the cap used allows capability transfer
inline constexpr uint64_t kIpcFault = 1u << 2;  // the pending call is a fault message

struct IpcState {
  IpcWait waiting = IpcWait::None;
  sched::Thread* queue_next = nullptr;  // endpoint/notification wait-queue links
  sched::Thread* queue_prev = nullptr;
  void* object = nullptr;         // kernel view of the endpoint/notification/reply waited on
  uint64_t badge = 0;             // badge of the capability a pending send/call used
  uint64_t flags = 0;             // pending operation details (kIpc* bits)
  ReplyObject* reply = nullptr;   // Recv: the reply object named (r12), bound on a Call
  Notification* bound = nullptr;  // the notification bound to this thread (TcbBindNotification)
  uint64_t fault_label = 0;       // a pending fault message (kIpcFault)
  uint64_t fault_words[3] = {};
};

}  // namespace kernel::ipc
