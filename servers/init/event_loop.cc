// init's receive loop (event_loop.h).
#include "event_loop.h"

#include "mu_caps.h"
#include "mu_user.h"
#include "pool.h"
#include "program_builder.h"
#include "requests.h"
#include "supervisor.h"

using namespace mu::user;

namespace init {
namespace {

uint64_t g_endpoint;
uint64_t g_reply;  // the Reply object of the next receive
constexpr unsigned kMaxSpareReplies = 8;
uint64_t g_spare[kMaxSpareReplies];  // Reply objects given back, reused before making new ones
unsigned g_spare_count;
uint64_t g_receive_slot;  // where a capability sent with a request lands (Register)

}  // namespace

bool event_loop_init() {
  g_endpoint = own_object(mu::ObjectType::Endpoint);
  g_reply = own_object(mu::ObjectType::Reply);
  return g_endpoint != 0 && g_reply != 0;
}

uint64_t init_endpoint() { return g_endpoint; }

bool serve_once(uint64_t timeout_ns) {
  Message msg;
  uint64_t badge = 0;
  if (g_receive_slot == 0) g_receive_slot = slot_alloc();
  mu::IpcBuffer* buffer = init_ipc_buffer();
  buffer->receive_cnode = g_receive_slot != 0 ? mu::kSelfCNode : 0;
  buffer->receive_index = g_receive_slot;
  buffer->received_caps = 0;
  const int64_t r = recv(g_endpoint, g_reply, &msg, &badge, timeout_ns);
  if (r == mu::status_value(mu::Status::Timeout)) return false;
  if (r != 0) {
    print("init: receive failed: %s\n", mu::status_string(static_cast<mu::Status>(r)));
    return true;
  }
  const mu::MessageTag tag{msg.tag};
  if ((badge & kFaultBadgeBit) != 0) {
    if (tag.label() == mu::kFaultUnknownSyscall &&
        supervisor_emulate_unknown_syscall(badge & kPidMask)) {
      (void)reply(g_reply, Message{mu::MessageTag::make(0, 0).raw, {}});
      return true;
    }
    // Leave the thread stopped for good, then tear it down.
    (void)reply(g_reply, Message{mu::MessageTag::make(mu::kFaultReplyStop, 0).raw, {}});
    supervisor_on_fault(badge & kPidMask, tag.label(), msg.mr);
    return true;
  }
  const uint64_t received = buffer->received_caps != 0 ? g_receive_slot : 0;
  if (handle_request(badge & kPidMask, msg, g_reply, received)) {
    g_receive_slot = 0;  // kept by the request; the next receive gets a fresh slot
  } else if (received != 0) {
    (void)cap_delete(mu::kSelfCNode, received);
  }
  return true;
}

void serve_forever() {
  for (;;) {
    const uint64_t next = supervisor_tick(clock_ns());
    if (!supervisor_active()) {
      // Nothing can ask init for anything any more: end the system as PowerOff does.
      print("init: no services left; powering off\n");
      own_release();
      exit(0);
    }
    uint64_t timeout = 0;
    if (next != 0) {
      const uint64_t now = clock_ns();
      timeout = next > now ? next - now : 1;
      if (timeout > mu::kMaxIpcTimeoutNs) timeout = mu::kMaxIpcTimeoutNs;
    }
    (void)serve_once(timeout);
  }
}

uint64_t keep_current_reply() {
  const uint64_t fresh = g_spare_count > 0 ? g_spare[--g_spare_count]
                                           : own_object(mu::ObjectType::Reply);
  if (fresh == 0) return 0;
  const uint64_t kept = g_reply;
  g_reply = fresh;
  return kept;
}

void release_reply(uint64_t slot) {
  if (slot == 0) return;
  if (g_spare_count < kMaxSpareReplies) {
    g_spare[g_spare_count++] = slot;
  } else {
    slot_free(slot);  // its memory stays in init's arena; rare
  }
}

}  // namespace init
