// IPC tests: endpoints (send/recv/call/reply, badges, rights, long messages, capability
// transfer, timeouts, non-blocking calls, deletion), notifications (signal/wait/poll, binding),
// fault messages, and the fast path against the slow path. With `bench` on the kernel command
// line, ipc.bench also prints the IPC benchmark figures (tests/system/bench.py).
#include "framework.h"
#include "support.h"

using namespace mu::user;
using namespace captest;
using mu::MessageTag;
using mu::ObjectType;

namespace {

constexpr uint64_t kSelf = mu::kSelfCNode;
constexpr uint8_t kR = mu::kRightRead;
constexpr uint8_t kW = mu::kRightWrite;
constexpr uint8_t kG = mu::kRightGrant;
constexpr uint8_t kGR = mu::kRightGrantReply;
constexpr uint8_t kAll = mu::kRightsAll;
constexpr uint64_t kMs = 1000 * 1000;

// What helper threads report back (the image's memory is shared by every VSpace captest makes).
struct Shared {
  volatile int64_t status[4];
  volatile uint64_t badge[4];
  volatile uint64_t tag[4];
  volatile uint64_t mr[4][4];
  volatile uint64_t ep, reply, ntfn, slot, count;
  volatile int started, done;
};
Shared g;

void reset() { g = Shared{}; }
// Yields until a helper thread has reported `n` completions (bounded: a hang is a failure).
bool wait_done(int n) {
  for (int i = 0; i < 100000 && g.done < n; ++i) yield();
  return g.done >= n;
}
bool wait_started(int n) {
  for (int i = 0; i < 100000 && g.started < n; ++i) yield();
  // A few more yields so the helper reaches its blocking call after reporting.
  for (int i = 0; i < 4; ++i) yield();
  return g.started >= n;
}

void record(int i, int64_t status, uint64_t badge, const Message& m) {
  g.status[i] = status;
  g.badge[i] = badge;
  g.tag[i] = m.tag;
  for (unsigned k = 0; k < 4; ++k) g.mr[i][k] = m.mr[k];
}

Message msg(uint64_t label, uint64_t length, uint64_t a = 0, uint64_t b = 0, uint64_t c = 0,
            uint64_t d = 0, uint64_t caps = 0) {
  Message m;
  m.tag = MessageTag::make(label, length, caps).raw;
  m.mr[0] = a;
  m.mr[1] = b;
  m.mr[2] = c;
  m.mr[3] = d;
  return m;
}

mu::IpcBuffer* my_buffer() { return reinterpret_cast<mu::IpcBuffer*>(mu::kInitIpcBufferAddr); }

// ---- Helper thread bodies ----
void receiver(uint64_t) {
  Message m;
  uint64_t badge = 0;
  g.started = g.started + 1;
  const int64_t r = recv(g.ep, g.reply, &m, &badge);
  record(0, r, badge, m);
  g.done = g.done + 1;
}
void sender(uint64_t label) {
  g.started = g.started + 1;
  g.status[1] = send(g.ep, msg(label, 2, 11, 22));
  g.done = g.done + 1;
}
void caller(uint64_t label) {
  Message m = msg(label, 1, 5);
  g.started = g.started + 1;
  const int64_t r = call(g.ep, &m);
  record(1, r, 0, m);
  g.done = g.done + 1;
}
// Echo server: replies label + 1 and each word + 1, for g.count calls.
void echo_server(uint64_t) {
  Message m;
  uint64_t badge = 0;
  g.started = g.started + 1;
  int64_t r = recv(g.ep, g.reply, &m, &badge);
  for (uint64_t i = 0; r == 0 && i < g.count; ++i) {
    const MessageTag t{m.tag};
    record(0, r, badge, m);
    Message out = msg(t.label() + 1, t.length() > 4 ? 4 : t.length(), m.mr[0] + 1, m.mr[1] + 1,
                      m.mr[2] + 1, m.mr[3] + 1);
    if (i + 1 == g.count) {
      r = reply(g.reply, out);
      break;
    }
    r = reply_recv(g.ep, g.reply, &out, &badge);
    m = out;
  }
  g.status[2] = r;
  g.done = g.done + 1;
}
void ntfn_waiter(uint64_t) {
  uint64_t word = 0;
  g.started = g.started + 1;
  g.status[0] = ntfn_wait(g.ntfn, &word);
  g.badge[0] = word;
  g.done = g.done + 1;
}

int64_t start(Thread* t, ThreadEntry entry, uint64_t arg = 0, uint64_t priority = mu::kInitPriority,
              uint64_t vspace = mu::kInitSlotVSpace, uint64_t fault_ep = 0) {
  ThreadOptions o;
  o.priority = priority;
  o.vspace = vspace;
  o.fault_ep = fault_ep;
  return create_thread(t, entry, arg, o);
}

}  // namespace

#define NEW_OBJECT(var, type)                           \
  const uint64_t var = new_object(ObjectType::type, 0); \
  if (var == 0) return
#define NEW_SLOT(var)                \
  const uint64_t var = alloc_slot(); \
  ASSERT_NE(var, 0)
// A copy of `src` with `rights` (and `badge` when non-zero) in a fresh slot `var`.
#define DERIVE(var, src, rights, badge) \
  NEW_SLOT(var);                        \
  ASSERT_OK(cap_mint(kSelf, src, kSelf, var, rights, badge))

// ---------------------------------------------------------------- send / recv

MU_TEST(ipc, send_then_recv_delivers_badge_tag_words) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  DERIVE(badged, ep, kAll, 0x55);
  g.ep = ep;
  Thread t;
  ASSERT_OK(start(&t, receiver));
  ASSERT_OK(send(badged, msg(7, 4, 1, 2, 3, 4)));
  ASSERT_TRUE(wait_done(1));
  ASSERT_OK(g.status[0]);
  ASSERT_EQ(g.badge[0], 0x55);
  ASSERT_EQ(g.tag[0], MessageTag::make(7, 4).raw);
  ASSERT_EQ(g.mr[0][0], 1);
  ASSERT_EQ(g.mr[0][3], 4);
}

MU_TEST(ipc, waiting_sender_is_received) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  g.ep = ep;
  Thread t;
  ASSERT_OK(start(&t, sender, 9));
  ASSERT_TRUE(wait_started(1));
  Message m;
  uint64_t badge = 1;
  ASSERT_OK(recv(ep, 0, &m, &badge));
  ASSERT_EQ(badge, 0);
  ASSERT_EQ(m.tag, MessageTag::make(9, 2).raw);
  ASSERT_EQ(m.mr[0], 11);
  ASSERT_EQ(m.mr[1], 22);
  ASSERT_TRUE(wait_done(1));
  ASSERT_OK(g.status[1]);
}

MU_TEST(ipc, senders_queue_in_order) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  g.ep = ep;
  Thread a, b;
  ASSERT_OK(start(&a, sender, 1));
  ASSERT_TRUE(wait_started(1));
  ASSERT_OK(start(&b, sender, 2));
  ASSERT_TRUE(wait_started(2));
  Message m;
  uint64_t badge = 0;
  ASSERT_OK(recv(ep, 0, &m, &badge));
  ASSERT_EQ(MessageTag{m.tag}.label(), 1);
  ASSERT_OK(recv(ep, 0, &m, &badge));
  ASSERT_EQ(MessageTag{m.tag}.label(), 2);
  ASSERT_TRUE(wait_done(2));
}

MU_TEST(ipc, nb_send_without_receiver_would_block) {
  NEW_OBJECT(ep, Endpoint);
  ASSERT_STATUS(nb_send(ep, msg(1, 0)), WouldBlock);
  Message m;
  uint64_t badge = 0;
  ASSERT_STATUS(nb_recv(ep, 0, &m, &badge), WouldBlock);  // the message was dropped
}

MU_TEST(ipc, nb_recv_without_sender_would_block) {
  NEW_OBJECT(ep, Endpoint);
  Message m;
  uint64_t badge = 0;
  ASSERT_STATUS(nb_recv(ep, 0, &m, &badge), WouldBlock);
}

MU_TEST(ipc, nb_send_reaches_waiting_receiver) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  g.ep = ep;
  Thread t;
  ASSERT_OK(start(&t, receiver));
  ASSERT_TRUE(wait_started(1));
  ASSERT_OK(nb_send(ep, msg(3, 1, 77)));
  ASSERT_TRUE(wait_done(1));
  ASSERT_EQ(g.mr[0][0], 77);
}

// ---------------------------------------------------------------- rights and arguments

MU_TEST(ipc, send_needs_write_recv_needs_read) {
  NEW_OBJECT(ep, Endpoint);
  DERIVE(ro, ep, kR, 0);
  DERIVE(wo, ep, kW, 0);
  Message m;
  uint64_t badge = 0;
  ASSERT_STATUS(send(ro, msg(1, 0)), InsufficientRights);
  ASSERT_STATUS(nb_send(ro, msg(1, 0)), InsufficientRights);
  ASSERT_STATUS(recv(wo, 0, &m, &badge), InsufficientRights);
  ASSERT_STATUS(nb_recv(wo, 0, &m, &badge), InsufficientRights);
  NEW_OBJECT(reply_obj, Reply);
  ASSERT_STATUS(reply_recv(wo, reply_obj, &m, &badge), InsufficientRights);
}

MU_TEST(ipc, call_needs_write_and_grant_reply) {
  NEW_OBJECT(ep, Endpoint);
  DERIVE(no_gr, ep, kR | kW | kG, 0);
  DERIVE(gr_only, ep, kGR, 0);
  Message m = msg(1, 0);
  ASSERT_STATUS(call(no_gr, &m), InsufficientRights);
  ASSERT_STATUS(call(gr_only, &m), InsufficientRights);
}

MU_TEST(ipc, wrong_type_empty_and_invalid_slots) {
  NEW_OBJECT(ntfn, Notification);
  NEW_SLOT(empty);
  Message m = msg(1, 0);
  uint64_t badge = 0;
  ASSERT_STATUS(send(ntfn, m), WrongType);
  ASSERT_STATUS(recv(ntfn, 0, &m, &badge), WrongType);
  ASSERT_STATUS(send(empty, m), SlotEmpty);
  ASSERT_STATUS(send(uint64_t{1} << 40, m), InvalidSlot);
  NEW_OBJECT(ep, Endpoint);
  ASSERT_STATUS(signal(ep), WrongType);
  ASSERT_STATUS(recv(ep, ntfn, &m, &badge), WrongType);  // r12 must name a Reply
  ASSERT_STATUS(reply(ep, msg(0, 0)), WrongType);
}

MU_TEST(ipc, bad_tags_and_timeouts_are_invalid) {
  NEW_OBJECT(ep, Endpoint);
  Message m;
  m.tag = MessageTag::make(1, 65).raw;
  ASSERT_STATUS(send(ep, m), InvalidArgument);
  ASSERT_STATUS(nb_send(ep, m), InvalidArgument);
  m.tag = MessageTag::make(1, 1, 2).raw;
  ASSERT_STATUS(send(ep, m), InvalidArgument);
  m = msg(1, 0);
  ASSERT_STATUS(send(ep, m, mu::kMaxIpcTimeoutNs + 1), InvalidArgument);
  uint64_t badge = 0;
  ASSERT_STATUS(recv(ep, 0, &m, &badge, mu::kMaxIpcTimeoutNs + 1), InvalidArgument);
  NEW_OBJECT(ntfn, Notification);
  uint64_t word = 0;
  ASSERT_STATUS(ntfn_wait(ntfn, &word, mu::kMaxIpcTimeoutNs + 1), InvalidArgument);
}

// ---------------------------------------------------------------- call / reply

MU_TEST(ipc, call_and_reply) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  NEW_OBJECT(reply_obj, Reply);
  DERIVE(badged, ep, kAll, 0x99);
  g.ep = badged;
  Thread t;
  ASSERT_OK(start(&t, caller, 4));
  Message m;
  uint64_t badge = 0;
  ASSERT_OK(recv(ep, reply_obj, &m, &badge));
  ASSERT_EQ(badge, 0x99);
  ASSERT_EQ(m.tag, MessageTag::make(4, 1).raw);
  ASSERT_EQ(m.mr[0], 5);
  ASSERT_OK(reply(reply_obj, msg(40, 2, 500, 600)));
  ASSERT_TRUE(wait_done(1));
  ASSERT_OK(g.status[1]);
  ASSERT_EQ(g.tag[1], MessageTag::make(40, 2).raw);
  ASSERT_EQ(g.mr[1][0], 500);
  ASSERT_EQ(g.mr[1][1], 600);
}

MU_TEST(ipc, reply_is_one_shot) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  NEW_OBJECT(reply_obj, Reply);
  ASSERT_STATUS(reply(reply_obj, msg(0, 0)), NoCaller);
  g.ep = ep;
  Thread t;
  ASSERT_OK(start(&t, caller, 1));
  Message m;
  uint64_t badge = 0;
  ASSERT_OK(recv(ep, reply_obj, &m, &badge));
  ASSERT_OK(reply(reply_obj, msg(2, 0)));
  ASSERT_STATUS(reply(reply_obj, msg(3, 0)), NoCaller);
  ASSERT_TRUE(wait_done(1));
  ASSERT_EQ(MessageTag{g.tag[1]}.label(), 2);
}

MU_TEST(ipc, call_to_receiver_without_reply_object_is_cancelled) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  g.ep = ep;
  Thread t;
  ASSERT_OK(start(&t, caller, 6));
  Message m;
  uint64_t badge = 0;
  ASSERT_OK(recv(ep, 0, &m, &badge));
  ASSERT_EQ(MessageTag{m.tag}.label(), 6);
  ASSERT_TRUE(wait_done(1));
  ASSERT_STATUS(g.status[1], Cancelled);
}

MU_TEST(ipc, reply_recv_loop_serves_many_calls) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  NEW_OBJECT(reply_obj, Reply);
  g.ep = ep;
  g.reply = reply_obj;
  g.count = 20;
  Thread t;
  ASSERT_OK(start(&t, echo_server));
  for (uint64_t i = 0; i < 20; ++i) {
    Message m = msg(i, 4, i, 2 * i, 3 * i, 4 * i);
    ASSERT_OK(call(ep, &m));
    ASSERT_EQ(m.tag, MessageTag::make(i + 1, 4).raw);
    ASSERT_EQ(m.mr[0], i + 1);
    ASSERT_EQ(m.mr[3], 4 * i + 1);
  }
  ASSERT_TRUE(wait_done(1));
  ASSERT_OK(g.status[2]);
}

MU_TEST(ipc, rebinding_a_reply_object_cancels_the_earlier_caller) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  NEW_OBJECT(reply_obj, Reply);
  g.ep = ep;
  Thread t;
  ASSERT_OK(start(&t, caller, 1));
  Message m;
  uint64_t badge = 0;
  ASSERT_OK(recv(ep, reply_obj, &m, &badge));
  ASSERT_STATUS(nb_recv(ep, reply_obj, &m, &badge), WouldBlock);
  ASSERT_TRUE(wait_done(1));
  ASSERT_STATUS(g.status[1], Cancelled);
  ASSERT_STATUS(reply(reply_obj, msg(0, 0)), NoCaller);
}

MU_TEST(ipc, reply_recv_without_caller_just_receives) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  NEW_OBJECT(reply_obj, Reply);
  g.ep = ep;
  Thread t;
  ASSERT_OK(start(&t, sender, 8));
  Message m = msg(0, 0);
  uint64_t badge = 0;
  ASSERT_OK(reply_recv(ep, reply_obj, &m, &badge));
  ASSERT_EQ(MessageTag{m.tag}.label(), 8);
  ASSERT_TRUE(wait_done(1));
}

// ---------------------------------------------------------------- long messages

MU_TEST(ipc, long_message_through_ipc_buffers) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  NEW_OBJECT(reply_obj, Reply);
  g.ep = ep;
  Thread t;
  ASSERT_OK(start(&t, receiver));
  for (unsigned i = 4; i < mu::kMaxMessageWords; ++i) my_buffer()->mr[i] = 1000 + i;
  ASSERT_OK(send(ep, msg(2, mu::kMaxMessageWords, 1, 2, 3, 4)));
  ASSERT_TRUE(wait_done(1));
  ASSERT_EQ(g.tag[0], MessageTag::make(2, mu::kMaxMessageWords).raw);
  ASSERT_EQ(t.ipc_buffer()->mr[4], 1004);
  ASSERT_EQ(t.ipc_buffer()->mr[63], 1063);
}

MU_TEST(ipc, long_message_truncated_without_receiver_buffer) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  g.ep = ep;
  Thread t;
  ThreadOptions o;
  o.ipc_buffer = false;
  ASSERT_OK(create_thread(&t, receiver, 0, o));
  ASSERT_OK(send(ep, msg(2, 10, 1, 2, 3, 4)));
  ASSERT_TRUE(wait_done(1));
  ASSERT_EQ(g.tag[0], MessageTag::make(2, 4).raw);
  ASSERT_EQ(g.mr[0][3], 4);
}

// ---------------------------------------------------------------- capability transfer

namespace {
// A receiver that accepts one capability into g.slot of the shared CSpace.
void cap_receiver(uint64_t) {
  mu::IpcBuffer* buf = reinterpret_cast<mu::IpcBuffer*>(g.count);
  buf->receive_cnode = mu::kSelfCNode;
  buf->receive_index = g.slot;
  buf->received_caps = 99;
  receiver(0);
  g.badge[1] = buf->received_caps;
}
}  // namespace

#define CAP_TRANSFER_SETUP(ep_rights)               \
  reset();                                          \
  NEW_OBJECT(ep, Endpoint);                         \
  DERIVE(ep_cap, ep, ep_rights, 0);                 \
  NEW_OBJECT(payload, Notification);                \
  NEW_SLOT(dest);                                   \
  g.ep = ep;                                        \
  g.slot = dest;                                    \
  Thread t;                                         \
  ThreadOptions o;                                  \
  o.resume = false;                                 \
  ASSERT_OK(create_thread(&t, cap_receiver, 0, o)); \
  g.count = t.ipc_buffer_addr;                      \
  ASSERT_OK(tcb_resume(t.tcb));                     \
  ASSERT_TRUE(wait_started(1));                     \
  my_buffer()->caps[0] = payload

MU_TEST(ipc, cap_transfer_with_grant) {
  CAP_TRANSFER_SETUP(kAll);
  ASSERT_OK(send(ep_cap, msg(1, 1, 42, 0, 0, 0, 1)));
  ASSERT_TRUE(wait_done(1));
  ASSERT_EQ(g.tag[0], MessageTag::make(1, 1, 1).raw);
  ASSERT_EQ(g.badge[1], 1);
  ASSERT_EQ(cap_identify(dest) & 0xFF, static_cast<int64_t>(ObjectType::Notification));
  uint64_t w0 = 0;
  uint64_t w0_payload = 1;
  (void)cap_identify(dest, &w0);
  (void)cap_identify(payload, &w0_payload);
  ASSERT_EQ(w0, w0_payload);
  // A copy: revoking the original deletes it.
  ASSERT_OK(cap_revoke(kSelf, payload));
  ASSERT_TRUE(!slot_full(dest));
}

MU_TEST(ipc, cap_transfer_without_grant_drops_the_cap) {
  CAP_TRANSFER_SETUP(kR | kW | kGR);
  ASSERT_OK(send(ep_cap, msg(1, 1, 42, 0, 0, 0, 1)));
  ASSERT_TRUE(wait_done(1));
  ASSERT_EQ(g.tag[0], MessageTag::make(1, 1, 0).raw);
  ASSERT_EQ(g.mr[0][0], 42);
  ASSERT_EQ(g.badge[1], 0);
  ASSERT_TRUE(!slot_full(dest));
}

MU_TEST(ipc, cap_transfer_into_occupied_slot_drops_the_cap) {
  CAP_TRANSFER_SETUP(kAll);
  ASSERT_OK(cap_copy(kSelf, ep, kSelf, dest, kAll));
  ASSERT_OK(send(ep_cap, msg(1, 1, 42, 0, 0, 0, 1)));
  ASSERT_TRUE(wait_done(1));
  ASSERT_EQ(g.badge[1], 0);
  ASSERT_EQ(cap_identify(dest) & 0xFF, static_cast<int64_t>(ObjectType::Endpoint));
}

MU_TEST(ipc, untyped_and_reply_caps_are_not_transferred) {
  CAP_TRANSFER_SETUP(kAll);
  my_buffer()->caps[0] = arena();
  ASSERT_OK(send(ep_cap, msg(1, 1, 42, 0, 0, 0, 1)));
  ASSERT_TRUE(wait_done(1));
  ASSERT_EQ(g.badge[1], 0);
  ASSERT_TRUE(!slot_full(dest));
}

MU_TEST(ipc, reply_carries_a_cap_when_the_server_cap_can_grant) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  NEW_OBJECT(reply_obj, Reply);
  NEW_OBJECT(payload, Notification);
  NEW_SLOT(dest);
  g.ep = ep;
  Thread t;
  ASSERT_OK(start(&t, caller, 1));
  Message m;
  uint64_t badge = 0;
  ASSERT_OK(recv(ep, reply_obj, &m, &badge));
  t.ipc_buffer()->receive_cnode = kSelf;
  t.ipc_buffer()->receive_index = dest;
  my_buffer()->caps[0] = payload;
  ASSERT_OK(reply(reply_obj, msg(0, 0, 0, 0, 0, 0, 1)));
  ASSERT_TRUE(wait_done(1));
  ASSERT_EQ(g.tag[1], MessageTag::make(0, 0, 1).raw);
  ASSERT_EQ(t.ipc_buffer()->received_caps, 1);
  ASSERT_TRUE(slot_full(dest));
}

// ---------------------------------------------------------------- timeouts

MU_TEST(ipc, recv_timeout) {
  NEW_OBJECT(ep, Endpoint);
  Message m;
  uint64_t badge = 0;
  const uint64_t t0 = clock_ns();
  ASSERT_STATUS(recv(ep, 0, &m, &badge, 5 * kMs), Timeout);
  const uint64_t elapsed = clock_ns() - t0;
  ASSERT_TRUE(elapsed >= 5 * kMs);
  ASSERT_TRUE(elapsed < 500 * kMs);
  // The timed-out receiver left the queue: a sender finds nobody.
  ASSERT_STATUS(nb_send(ep, msg(1, 0)), WouldBlock);
}

MU_TEST(ipc, send_and_call_timeouts) {
  NEW_OBJECT(ep, Endpoint);
  const uint64_t t0 = clock_ns();
  ASSERT_STATUS(send(ep, msg(1, 0), 3 * kMs), Timeout);
  Message m = msg(1, 0);
  ASSERT_STATUS(call(ep, &m, 3 * kMs), Timeout);
  ASSERT_TRUE(clock_ns() - t0 >= 6 * kMs);
  uint64_t badge = 0;
  ASSERT_STATUS(nb_recv(ep, 0, &m, &badge), WouldBlock);
}

MU_TEST(ipc, call_timeout_covers_the_reply_wait) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  NEW_OBJECT(reply_obj, Reply);
  g.ep = ep;
  g.reply = reply_obj;
  Thread t;
  ASSERT_OK(start(&t, receiver));
  ASSERT_TRUE(wait_started(1));
  Message m = msg(1, 0);
  ASSERT_STATUS(call(ep, &m, 4 * kMs), Timeout);  // received, never answered
  ASSERT_TRUE(wait_done(1));
  ASSERT_STATUS(reply(reply_obj, msg(0, 0)), NoCaller);
}

MU_TEST(ipc, message_before_timeout_wins) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  g.ep = ep;
  Thread t;
  ASSERT_OK(start(&t, sender, 5));
  Message m;
  uint64_t badge = 0;
  ASSERT_OK(recv(ep, 0, &m, &badge, 1000 * kMs));
  ASSERT_EQ(MessageTag{m.tag}.label(), 5);
  ASSERT_TRUE(wait_done(1));
}

// ---------------------------------------------------------------- deletion

MU_TEST(ipc, deleting_endpoint_cancels_waiters) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  g.ep = ep;
  Thread t;
  ASSERT_OK(start(&t, receiver));
  ASSERT_TRUE(wait_started(1));
  release_slot(ep);
  ASSERT_TRUE(wait_done(1));
  ASSERT_STATUS(g.status[0], Cancelled);
}

MU_TEST(ipc, deleting_reply_object_cancels_caller) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  NEW_OBJECT(reply_obj, Reply);
  g.ep = ep;
  Thread t;
  ASSERT_OK(start(&t, caller, 1));
  Message m;
  uint64_t badge = 0;
  ASSERT_OK(recv(ep, reply_obj, &m, &badge));
  release_slot(reply_obj);
  ASSERT_TRUE(wait_done(1));
  ASSERT_STATUS(g.status[1], Cancelled);
}

MU_TEST(ipc, suspend_cancels_a_blocked_receive) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  g.ep = ep;
  Thread t;
  ASSERT_OK(start(&t, receiver));
  ASSERT_TRUE(wait_started(1));
  ASSERT_OK(tcb_suspend(t.tcb));
  ASSERT_STATUS(nb_send(ep, msg(1, 0)), WouldBlock);  // it left the queue
  ASSERT_OK(tcb_resume(t.tcb));
  ASSERT_TRUE(wait_done(1));
  ASSERT_STATUS(g.status[0], Cancelled);
}

// ---------------------------------------------------------------- notifications

MU_TEST(ntfn, signal_then_wait_and_poll) {
  NEW_OBJECT(n, Notification);
  uint64_t word = 9;
  ASSERT_OK(ntfn_poll(n, &word));
  ASSERT_EQ(word, 0);
  DERIVE(b2, n, kAll, 2);
  ASSERT_OK(signal(b2));
  ASSERT_OK(ntfn_wait(n, &word));
  ASSERT_EQ(word, 2);
  ASSERT_OK(ntfn_poll(n, &word));
  ASSERT_EQ(word, 0);
}

MU_TEST(ntfn, badges_are_ored_and_unbadged_sets_bit_0) {
  NEW_OBJECT(n, Notification);
  DERIVE(b4, n, kAll, 4);
  DERIVE(b16, n, kAll, 16);
  ASSERT_OK(signal(b4));
  ASSERT_OK(signal(b16));
  ASSERT_OK(signal(b4));
  uint64_t word = 0;
  ASSERT_OK(ntfn_poll(n, &word));
  ASSERT_EQ(word, 20);
  ASSERT_OK(signal(n));
  ASSERT_OK(ntfn_poll(n, &word));
  ASSERT_EQ(word, 1);
}

MU_TEST(ntfn, rights) {
  NEW_OBJECT(n, Notification);
  DERIVE(ro, n, kR, 0);
  DERIVE(wo, n, kW, 0);
  uint64_t word = 0;
  ASSERT_STATUS(signal(ro), InsufficientRights);
  ASSERT_STATUS(ntfn_wait(wo, &word), InsufficientRights);
  ASSERT_STATUS(ntfn_poll(wo, &word), InsufficientRights);
}

MU_TEST(ntfn, wait_blocks_until_signal) {
  reset();
  NEW_OBJECT(n, Notification);
  DERIVE(b8, n, kAll, 8);
  g.ntfn = n;
  Thread t;
  ASSERT_OK(start(&t, ntfn_waiter));
  ASSERT_TRUE(wait_started(1));
  ASSERT_EQ(g.done, 0);
  ASSERT_OK(signal(b8));
  ASSERT_TRUE(wait_done(1));
  ASSERT_OK(g.status[0]);
  ASSERT_EQ(g.badge[0], 8);
  uint64_t word = 1;
  ASSERT_OK(ntfn_poll(n, &word));
  ASSERT_EQ(word, 0);  // taken by the waiter
}

MU_TEST(ntfn, wait_timeout) {
  NEW_OBJECT(n, Notification);
  uint64_t word = 0;
  const uint64_t t0 = clock_ns();
  ASSERT_STATUS(ntfn_wait(n, &word, 2 * kMs), Timeout);
  ASSERT_TRUE(clock_ns() - t0 >= 2 * kMs);
}

MU_TEST(ntfn, deleting_notification_cancels_waiter) {
  reset();
  NEW_OBJECT(n, Notification);
  g.ntfn = n;
  Thread t;
  ASSERT_OK(start(&t, ntfn_waiter));
  ASSERT_TRUE(wait_started(1));
  release_slot(n);
  ASSERT_TRUE(wait_done(1));
  ASSERT_STATUS(g.status[0], Cancelled);
}

MU_TEST(ntfn, bound_notification_wakes_recv) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  NEW_OBJECT(n, Notification);
  DERIVE(b32, n, kAll, 32);
  g.ep = ep;
  Thread t;
  ThreadOptions o;
  o.resume = false;
  ASSERT_OK(create_thread(&t, receiver, 0, o));
  ASSERT_OK(tcb_bind_notification(t.tcb, n));
  ASSERT_OK(tcb_resume(t.tcb));
  ASSERT_TRUE(wait_started(1));
  ASSERT_OK(signal(b32));
  ASSERT_TRUE(wait_done(1));
  ASSERT_OK(g.status[0]);
  ASSERT_EQ(g.badge[0], 32);
  ASSERT_EQ(g.tag[0], mu::kTagFromNotification);
  ASSERT_STATUS(nb_send(ep, msg(1, 0)), WouldBlock);  // it left the endpoint queue
  uint64_t word = 0;
  ASSERT_STATUS(ntfn_wait(n, &word), IllegalOperation);  // bound to another thread
  ASSERT_STATUS(ntfn_poll(n, &word), IllegalOperation);
  ASSERT_OK(tcb_unbind_notification(t.tcb));
  ASSERT_OK(ntfn_poll(n, &word));
}

MU_TEST(ntfn, pending_bound_word_returns_at_once) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  NEW_OBJECT(n, Notification);
  g.ep = ep;
  ASSERT_OK(tcb_bind_notification(mu::kInitSlotTcb, n));
  ASSERT_OK(signal(n));
  Message m;
  uint64_t badge = 0;
  const int64_t r = recv(ep, 0, &m, &badge);
  ASSERT_OK(tcb_unbind_notification(mu::kInitSlotTcb));
  ASSERT_OK(r);
  ASSERT_EQ(badge, 1);
  ASSERT_EQ(m.tag, mu::kTagFromNotification);
}

MU_TEST(ntfn, bind_errors) {
  NEW_OBJECT(n, Notification);
  NEW_OBJECT(n2, Notification);
  DERIVE(wo, n, kW, 0);
  Thread t;
  ThreadOptions o;
  o.resume = false;
  ASSERT_OK(create_thread(&t, receiver, 0, o));
  ASSERT_STATUS(tcb_unbind_notification(t.tcb), IllegalOperation);
  ASSERT_STATUS(tcb_bind_notification(t.tcb, wo), InsufficientRights);
  ASSERT_STATUS(tcb_bind_notification(n, n), WrongType);
  ASSERT_OK(tcb_bind_notification(t.tcb, n));
  ASSERT_STATUS(tcb_bind_notification(t.tcb, n2), Busy);
  ASSERT_STATUS(tcb_bind_notification(mu::kInitSlotTcb, n), Busy);
  ASSERT_OK(tcb_unbind_notification(t.tcb));
  ASSERT_OK(tcb_bind_notification(mu::kInitSlotTcb, n2));
  ASSERT_OK(tcb_unbind_notification(mu::kInitSlotTcb));
}

// ---------------------------------------------------------------- faults

namespace {
void touch(uint64_t addr) {
  *reinterpret_cast<volatile uint64_t*>(addr) = 0x1234;
  g.status[1] = static_cast<int64_t>(*reinterpret_cast<volatile uint64_t*>(addr));
  g.done = g.done + 1;
}
void bad_syscall(uint64_t number) {
  g.status[1] = syscall(static_cast<mu::Sys>(number));
  g.done = g.done + 1;
}
}  // namespace

MU_TEST(fault, page_fault_handler_maps_and_resumes) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  NEW_OBJECT(reply_obj, Reply);
  DERIVE(fault_ep, ep, kAll, 0xFA);
  const uint64_t addr = alloc_vaddr(4096);
  Thread t;
  ASSERT_OK(start(&t, touch, addr + 8, mu::kInitPriority, mu::kInitSlotVSpace, fault_ep));
  Message m;
  uint64_t badge = 0;
  ASSERT_OK(recv(ep, reply_obj, &m, &badge));
  ASSERT_EQ(badge, 0xFA);
  ASSERT_EQ(MessageTag{m.tag}.label(), mu::kFaultPage);
  ASSERT_EQ(MessageTag{m.tag}.length(), 3);
  ASSERT_EQ(m.mr[1], addr + 8);
  ASSERT_EQ(m.mr[2] & 2, 2);  // a write
  ASSERT_EQ(g.done, 0);
  ASSERT_NE(map_new_frame(mu::kInitSlotVSpace, addr, mu::kMapWrite), 0);
  ASSERT_OK(reply(reply_obj, msg(0, 0)));
  ASSERT_TRUE(wait_done(1));
  ASSERT_EQ(g.status[1], 0x1234);
}

MU_TEST(fault, stop_reply_leaves_thread_stopped) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  NEW_OBJECT(reply_obj, Reply);
  const uint64_t addr = alloc_vaddr(4096);
  Thread t;
  ASSERT_OK(start(&t, touch, addr, mu::kInitPriority, mu::kInitSlotVSpace, ep));
  Message m;
  uint64_t badge = 0;
  ASSERT_OK(recv(ep, reply_obj, &m, &badge));
  const uint64_t fault_rip = m.mr[0];
  ASSERT_OK(reply(reply_obj, msg(mu::kFaultReplyStop, 0)));
  for (int i = 0; i < 20; ++i) yield();
  ASSERT_EQ(g.done, 0);
  mu::UserRegisters regs{};
  ASSERT_OK(tcb_read_registers(t.tcb, &regs));
  ASSERT_EQ(regs.rip, fault_rip);
  // Mapped and resumed, it retries the store and finishes.
  ASSERT_NE(map_new_frame(mu::kInitSlotVSpace, addr, mu::kMapWrite), 0);
  ASSERT_OK(tcb_resume(t.tcb));
  ASSERT_TRUE(wait_done(1));
  ASSERT_EQ(g.status[1], 0x1234);
}

MU_TEST(fault, unknown_syscall_goes_to_handler) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  NEW_OBJECT(reply_obj, Reply);
  Thread t;
  ASSERT_OK(start(&t, bad_syscall, 200, mu::kInitPriority, mu::kInitSlotVSpace, ep));
  Message m;
  uint64_t badge = 0;
  ASSERT_OK(recv(ep, reply_obj, &m, &badge));
  ASSERT_EQ(MessageTag{m.tag}.label(), mu::kFaultUnknownSyscall);
  ASSERT_EQ(m.mr[1], 200);
  mu::UserRegisters regs{};
  ASSERT_OK(tcb_read_registers(t.tcb, &regs));
  regs.rax = 4242;  // the handler emulates the call's result
  ASSERT_OK(tcb_write_registers(t.tcb, &regs));
  ASSERT_OK(reply(reply_obj, msg(0, 0)));
  ASSERT_TRUE(wait_done(1));
  ASSERT_EQ(g.status[1], 4242);
}

MU_TEST(fault, unknown_syscall_without_handler_fails) {
  ASSERT_STATUS(syscall(static_cast<mu::Sys>(200)), UnknownSyscall);
  ASSERT_STATUS(syscall(static_cast<mu::Sys>(19)), UnknownSyscall);
}

MU_TEST(fault, deleting_fault_endpoint_leaves_thread_stopped) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  DERIVE(fault_ep, ep, kAll, 0);
  const uint64_t addr = alloc_vaddr(4096);
  Thread t;
  ASSERT_OK(start(&t, touch, addr, mu::kInitPriority, mu::kInitSlotVSpace, fault_ep));
  for (int i = 0; i < 10; ++i) yield();  // it faults and waits in the endpoint queue
  ASSERT_OK(cap_revoke(kSelf, ep));      // the TCB's copy goes too: the endpoint is destroyed
  release_slot(ep);
  for (int i = 0; i < 10; ++i) yield();
  ASSERT_EQ(g.done, 0);
}

// ---------------------------------------------------------------- fast path vs slow path

namespace {
// Calls the echo server with messages of length 0..6 and returns a checksum of everything that
// came back (fast path for lengths <= 4, slow path above; the results must agree).
void echo_lengths(uint64_t ep, uint64_t results[7][5]) {
  for (uint64_t len = 0; len <= 6; ++len) {
    Message m = msg(100 + len, len, 1, 2, 3, 4);
    const int64_t r = call(ep, &m);
    results[len][0] = static_cast<uint64_t>(r);
    results[len][1] = m.tag;
    for (unsigned k = 0; k < 3; ++k) results[len][2 + k] = m.mr[k];
  }
}
void check_echo(const uint64_t results[7][5]) {
  for (uint64_t len = 0; len <= 6; ++len) {
    ASSERT_EQ(results[len][0], 0);
    ASSERT_EQ(results[len][1], MessageTag::make(101 + len, len > 4 ? 4 : len).raw);
    ASSERT_EQ(results[len][2], 2);
    ASSERT_EQ(results[len][4], 4);
  }
}
}  // namespace

MU_TEST(fastpath, same_results_as_slow_path_same_vspace) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  NEW_OBJECT(reply_obj, Reply);
  g.ep = ep;
  g.reply = reply_obj;
  g.count = 7;
  Thread t;
  ASSERT_OK(start(&t, echo_server));
  uint64_t results[7][5] = {};
  echo_lengths(ep, results);
  ASSERT_NO_FAILURE(check_echo(results));
  ASSERT_TRUE(wait_done(1));
  ASSERT_OK(g.status[2]);
  ASSERT_EQ(g.tag[0], MessageTag::make(106, 6).raw);  // the server saw the slow path's length
}

MU_TEST(fastpath, same_results_as_slow_path_other_vspace_higher_priority) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  NEW_OBJECT(reply_obj, Reply);
  uint64_t vspace = 0;
  ASSERT_OK(new_vspace(&vspace));
  g.ep = ep;
  g.reply = reply_obj;
  g.count = 7;
  Thread t;
  ASSERT_OK(start(&t, echo_server, 0, mu::kInitPriority - 1, vspace));
  uint64_t results[7][5] = {};
  echo_lengths(ep, results);
  ASSERT_NO_FAILURE(check_echo(results));
  ASSERT_TRUE(wait_done(1));
  ASSERT_OK(g.status[2]);
}

MU_TEST(fastpath, lower_priority_server_takes_slow_path_with_same_results) {
  reset();
  NEW_OBJECT(ep, Endpoint);
  NEW_OBJECT(reply_obj, Reply);
  g.ep = ep;
  g.reply = reply_obj;
  g.count = 7;
  Thread t;
  ASSERT_OK(start(&t, echo_server, 0, mu::kInitPriority + 1));
  uint64_t results[7][5] = {};
  echo_lengths(ep, results);
  ASSERT_NO_FAILURE(check_echo(results));
  ASSERT_OK(tcb_set_priority(t.tcb, mu::kInitPriority));  // so that it can finish while we yield
  ASSERT_TRUE(wait_done(1));
}

// Signal's fast path (a waiter of higher priority runs at once) against the slow path (a waiter
// of the same priority runs later): the same status and word either way.
MU_TEST(fastpath, signal_wakes_higher_priority_waiter_at_once_other_vspace) {
  reset();
  NEW_OBJECT(n, Notification);
  DERIVE(b8, n, kAll, 8);
  uint64_t vspace = 0;
  ASSERT_OK(new_vspace(&vspace));
  g.ntfn = n;
  Thread t;
  ASSERT_OK(start(&t, ntfn_waiter, 0, mu::kInitPriority - 1, vspace));
  ASSERT_EQ(g.started, 1);  // it preempted us and is now blocked in NtfnWait
  ASSERT_OK(signal(b8));
  ASSERT_EQ(g.done, 1);  // it ran before Signal returned to us
  ASSERT_OK(g.status[0]);
  ASSERT_EQ(g.badge[0], 8);
  uint64_t word = 1;
  ASSERT_OK(ntfn_poll(n, &word));
  ASSERT_EQ(word, 0);
}

MU_TEST(fastpath, signal_unbadged_fast_and_slow_give_the_same_word) {
  const uint64_t priorities[] = {mu::kInitPriority - 1, mu::kInitPriority};
  for (uint64_t priority : priorities) {
    reset();
    NEW_OBJECT(n, Notification);
    g.ntfn = n;
    Thread t;
    ASSERT_OK(start(&t, ntfn_waiter, 0, priority));
    ASSERT_TRUE(wait_started(1));
    ASSERT_OK(signal(n));
    ASSERT_EQ(g.done, priority < mu::kInitPriority ? 1 : 0);
    ASSERT_TRUE(wait_done(1));
    ASSERT_OK(g.status[0]);
    ASSERT_EQ(g.badge[0], 1);  // an unbadged signal sets bit 0
  }
}

// ---------------------------------------------------------------- benchmarks

namespace {

bool bench_requested() {
  const StartInfo& info = start_info();
  for (uint64_t i = 0; i + 5 <= info.cmdline_length; ++i) {
    if (starts_with(info.cmdline + i, info.cmdline_length - i, "bench") &&
        (i == 0 || info.cmdline[i - 1] == ' ') &&
        (i + 5 == info.cmdline_length || info.cmdline[i + 5] == ' '))
      return true;
  }
  return false;
}

// Minimal IPC stubs for the measured loops (what a real IPC stub costs, not the test wrappers):
// the message registers are outputs only, r13 = 0 (no timeout).
inline int64_t bench_syscall(mu::Sys number, uint64_t cptr, uint64_t tag, uint64_t reply_cptr) {
  register uint64_t rdi asm("rdi") = cptr;
  register uint64_t rsi asm("rsi") = tag;
  register uint64_t rdx asm("rdx") = 0;
  register uint64_t r10 asm("r10") = 0;
  register uint64_t r8 asm("r8") = 0;
  register uint64_t r9 asm("r9") = 0;
  register uint64_t r12 asm("r12") = reply_cptr;
  register uint64_t r13 asm("r13") = 0;
  uint64_t rax = static_cast<uint64_t>(number);
  asm volatile("syscall"
               : "+a"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8), "+r"(r9)
               : "r"(r12), "r"(r13)
               : "rcx", "r11", "memory");
  return static_cast<int64_t>(rax);
}

// Server of the round-trip benchmarks: answers every call with an empty reply, for ever (the
// case's teardown suspends it). With g.slot set it deletes the capability each call brought.
void bench_server(uint64_t) {
  Message m;
  uint64_t badge = 0;
  int64_t r = recv(g.ep, g.reply, &m, &badge);
  const uint64_t ep = g.ep;
  const uint64_t reply_obj = g.reply;
  while (r == 0) {
    if (g.slot != 0) (void)cap_delete(kSelf, g.slot);
    r = bench_syscall(mu::Sys::ReplyRecv, ep, 0, reply_obj);
  }
  g.status[2] = r;
}

void bench_waiter(uint64_t) {
  uint64_t word = 0;
  for (;;) {
    if (ntfn_wait(g.ntfn, &word) != 0) return;
    const uint64_t now = rdtsc();
    g.mr[0][0] = g.mr[0][0] + (now - g.mr[0][1]);
    g.done = g.done + 1;
  }
}

}  // namespace

// Without `bench` on the command line: a short run that checks the benchmark set-up works.
MU_TEST(ipc, bench) {
  const bool full = bench_requested();
  const uint64_t n = full ? 10000 : 100;
  reset();
  NEW_OBJECT(ep, Endpoint);
  NEW_OBJECT(reply_obj, Reply);
  NEW_OBJECT(ntfn, Notification);
  NEW_OBJECT(payload, Notification);
  NEW_SLOT(server_slot);
  uint64_t vspace = 0;
  ASSERT_OK(new_vspace(&vspace));
  g.ep = ep;
  g.reply = reply_obj;
  g.ntfn = ntfn;

  // Round trip, fast path: equal priorities, registers only, another address space.
  Thread server;
  ASSERT_OK(start(&server, bench_server, 0, mu::kInitPriority, vspace));
  Message m = msg(1, 2, 3, 4);
  for (int i = 0; i < 10; ++i) ASSERT_OK(call(ep, &m));  // warm up
  const uint64_t tag = MessageTag::make(1, 2).raw;
  uint64_t t0 = rdtsc();
  for (uint64_t i = 0; i < n; ++i) (void)bench_syscall(mu::Sys::Call, ep, tag, 0);
  const uint64_t fast = (rdtsc() - t0) / n;
  ASSERT_OK(call(ep, &m));

  // Slow path: each call carries one capability, which the server deletes again.
  server.ipc_buffer()->receive_cnode = kSelf;
  server.ipc_buffer()->receive_index = server_slot;
  g.slot = server_slot;
  my_buffer()->caps[0] = payload;
  Message cm = msg(1, 1, 5, 0, 0, 0, 1);
  ASSERT_OK(call(ep, &cm));
  ASSERT_EQ(server.ipc_buffer()->received_caps, 1);
  t0 = rdtsc();
  const uint64_t cap_tag = MessageTag::make(1, 1, 1).raw;
  for (uint64_t i = 0; i < n; ++i) (void)bench_syscall(mu::Sys::Call, ep, cap_tag, 0);
  const uint64_t slow = (rdtsc() - t0) / n;
  ASSERT_OK(call(ep, &cm));
  ASSERT_TRUE(!slot_full(server_slot));

  // Notification wake-up of a higher-priority thread in another address space.
  Thread waiter;
  ASSERT_OK(start(&waiter, bench_waiter, 0, mu::kInitPriority - 1, vspace));
  for (uint64_t i = 0; i < n; ++i) {
    g.mr[0][1] = rdtsc();
    (void)signal(ntfn);
  }
  ASSERT_EQ(g.done, static_cast<int>(n));
  const uint64_t wake = g.mr[0][0] / n;
  ASSERT_TRUE(fast > 0 && slow > fast && wake > 0);
  if (full) {
    print("bench: ipc_rtt_fast_insn=%lu\n", fast);
    print("bench: ipc_rtt_slow_cap_insn=%lu\n", slow);
    print("bench: notify_wake_insn=%lu\n", wake);
  }
}
