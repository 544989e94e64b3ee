// Inspection calls and what the kernel tells init: CapIdentifyIn (slots of any CNode held),
// TcbGetInfo (run state, priority, MCP), the exit fault (kFaultExit) of a thread with a fault
// endpoint, the InitBootCaps memory and framebuffer fields, and the framebuffer hand-over (the
// kernel stops drawing once a program maps a framebuffer frame).
#include "framework.h"
#include "support.h"

using namespace mu::user;
using namespace captest;
using mu::MessageTag;
using mu::ObjectType;
using mu::ThreadRunState;

namespace {

constexpr uint64_t kSelf = mu::kSelfCNode;
constexpr uint64_t kRootSlots = uint64_t{1} << mu::kInitCNodeRadix;
constexpr uint64_t kPage = 4096;

// What helper threads report (the image's memory is shared by every VSpace captest makes).
struct Shared {
  volatile uint64_t ep, ntfn, reply, tcb;
  volatile int64_t status;
  volatile uint64_t value;
  volatile int started, done;
};
Shared g;

void reset() { g = Shared{}; }

// Yields until `cond` holds (bounded: a hang is a failure), then a few more times so a helper
// that reported reaches the blocking call right after its report.
template <class Cond>
bool wait_until(Cond cond) {
  for (int i = 0; i < 100000 && !cond(); ++i) yield();
  for (int i = 0; i < 4; ++i) yield();
  return cond();
}

Message msg(uint64_t label, uint64_t length, uint64_t a = 0, uint64_t b = 0) {
  Message m;
  m.tag = MessageTag::make(label, length).raw;
  m.mr[0] = a;
  m.mr[1] = b;
  return m;
}

int64_t state_of(uint64_t tcb) {
  const int64_t info = tcb_get_info(tcb);
  return info < 0 ? info : (info & 0xFF);
}

// ---- Helper thread bodies ----
void spin(uint64_t) {
  g.started = g.started + 1;
  for (;;) {
    g.value = g.value + 1;
    yield();
  }
}
void receive(uint64_t) {
  Message m;
  uint64_t badge = 0;
  g.started = g.started + 1;
  g.status = recv(g.ep, 0, &m, &badge);
  g.done = g.done + 1;
}
void send_one(uint64_t) {
  g.started = g.started + 1;
  g.status = send(g.ep, msg(1, 1, 7));
  g.done = g.done + 1;
}
void call_one(uint64_t) {
  Message m = msg(1, 1, 7);
  g.started = g.started + 1;
  g.status = call(g.ep, &m);
  g.done = g.done + 1;
}
void wait_notification(uint64_t) {
  uint64_t word = 0;
  g.started = g.started + 1;
  g.status = ntfn_wait(g.ntfn, &word);
  g.done = g.done + 1;
}
void sleep_long(uint64_t) {
  g.started = g.started + 1;
  g.status = sleep_ns(3'000'000'000ULL);
  g.done = g.done + 1;
}
void exit_with(uint64_t code) {
  g.started = g.started + 1;
  g.status = syscall6(mu::Sys::ThreadExit, code);
  g.done = g.done + 1;  // never reached: it does not return
}
void process_exit_with(uint64_t code) {
  g.started = g.started + 1;
  g.status = syscall6(mu::Sys::ProcessExit, code);
  g.done = g.done + 1;
}
// Where a thread that exited is sent again: records its argument, then parks itself.
void revived(uint64_t arg) {
  g.value = arg;
  for (;;) (void)tcb_suspend(g.tcb);
}

int64_t start(Thread* t, ThreadEntry entry, uint64_t arg = 0, uint64_t fault_ep = 0) {
  ThreadOptions o;
  o.fault_ep = fault_ep;
  return create_thread(t, entry, arg, o);
}

}  // namespace

#define NEW_OBJECT(var, type, bits)                        \
  const uint64_t var = new_object(ObjectType::type, bits); \
  if (var == 0) return
#define NEW_SLOT(var)                \
  const uint64_t var = alloc_slot(); \
  ASSERT_NE(var, 0)
#define WAIT_FOR(cond) ASSERT_TRUE(wait_until([&] { return (cond); }))

// ---------------------------------------------------------------- CapIdentifyIn

MU_TEST(info, identify_in_own_cnode) {
  // Through kSelfCNode and through init's CNode cap: the same answers as CapIdentify.
  const uint64_t slots[] = {mu::kInitSlotCNode, mu::kInitSlotTcb, mu::kInitSlotVSpace,
                            mu::kInitSlotIoPort, mu::kInitSlotIpcBuffer};
  for (uint64_t slot : slots) {
    uint64_t w0 = 0, w1 = 0;
    const int64_t want = cap_identify(slot, &w0, &w1);
    ASSERT_TRUE(want >= 0);
    const uint64_t cnodes[] = {kSelf, mu::kInitSlotCNode};
    for (uint64_t cnode : cnodes) {
      CapInfo info{};
      ASSERT_EQ(cap_identify_in(cnode, slot, &info), want);
      ASSERT_EQ(info.word0, w0);
      ASSERT_EQ(info.word1, w1);
    }
  }
  CapInfo info{};
  ASSERT_TRUE(cap_identify_in(kSelf, mu::kInitSlotCNode, &info) >= 0);
  ASSERT_EQ(info.type, ObjectType::CNode);
  ASSERT_EQ(info.size_bits, mu::kInitCNodeRadix);
  ASSERT_TRUE(cap_identify_in(kSelf, mu::kInitSlotIpcBuffer, &info) >= 0);
  ASSERT_EQ(info.word0, mu::kInitIpcBufferAddr);
}

MU_TEST(info, identify_in_child_cnode) {
  NEW_OBJECT(cnode, CNode, 4);  // 16 slots
  NEW_OBJECT(ep, Endpoint, 0);
  ASSERT_OK(cap_mint(kSelf, ep, cnode, 3, mu::kRightRead | mu::kRightWrite, 0xBEEF));
  ASSERT_OK(cap_copy(kSelf, mu::kInitSlotTcb, cnode, 15, mu::kRightRead));
  CapInfo info{};
  ASSERT_TRUE(cap_identify_in(cnode, 3, &info) >= 0);
  ASSERT_EQ(info.type, ObjectType::Endpoint);
  ASSERT_EQ(info.rights, mu::kRightRead | mu::kRightWrite);
  ASSERT_EQ(info.word0, 0xBEEF);
  ASSERT_TRUE(cap_identify_in(cnode, 15, &info) >= 0);
  ASSERT_EQ(info.type, ObjectType::Tcb);
  ASSERT_EQ(info.rights, mu::kRightRead);
  // The same index in the root is something else (or nothing): the CNode argument counts.
  ASSERT_NE(cap_identify_in(kSelf, 3, &info), cap_identify_in(cnode, 3, &info));
}

MU_TEST(info, identify_in_empty_slot) {
  NEW_OBJECT(cnode, CNode, 2);
  CapInfo info{};
  for (uint64_t i = 0; i < 4; ++i) ASSERT_STATUS(cap_identify_in(cnode, i, &info), SlotEmpty);
  ASSERT_STATUS(cap_identify_in(kSelf, mu::kInitSlotNull, &info), SlotEmpty);
  NEW_SLOT(free_slot);
  ASSERT_STATUS(cap_identify_in(kSelf, free_slot, &info), SlotEmpty);
}

MU_TEST(info, identify_in_bad_cnode) {
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_SLOT(empty);
  CapInfo info{};
  ASSERT_STATUS(cap_identify_in(ep, 0, &info), InvalidSlot);                 // not a CNode
  ASSERT_STATUS(cap_identify_in(mu::kInitSlotTcb, 1, &info), InvalidSlot);   // not a CNode
  ASSERT_STATUS(cap_identify_in(empty, 0, &info), SlotEmpty);                // nothing there
  ASSERT_STATUS(cap_identify_in(kRootSlots, 0, &info), InvalidSlot);         // outside the root
  ASSERT_STATUS(cap_identify_in(uint64_t{1} << 40, 0, &info), InvalidSlot);  // far outside
}

MU_TEST(info, identify_in_index_out_of_range) {
  NEW_OBJECT(cnode, CNode, 3);  // 8 slots
  CapInfo info{};
  ASSERT_STATUS(cap_identify_in(cnode, 7, &info), SlotEmpty);
  ASSERT_STATUS(cap_identify_in(cnode, 8, &info), InvalidSlot);
  ASSERT_STATUS(cap_identify_in(cnode, ~uint64_t{0}, &info), InvalidSlot);
  ASSERT_STATUS(cap_identify_in(kSelf, kRootSlots, &info), InvalidSlot);
  ASSERT_STATUS(cap_identify_in(kSelf, kSelf, &info), InvalidSlot);
}

// ---------------------------------------------------------------- TcbGetInfo

MU_TEST(info, tcb_new_thread_is_inactive) {
  NEW_OBJECT(tcb, Tcb, 0);
  const int64_t info = tcb_get_info(tcb);
  ASSERT_TRUE(info >= 0);
  ASSERT_EQ(info & 0xFF, ThreadRunState::Inactive);
  ASSERT_EQ((info >> 8) & 0xFF, 255);  // a new TCB's priority and MCP are the lowest
  ASSERT_EQ((info >> 16) & 0xFF, 255);
  ASSERT_EQ(info >> 24, 0);
}

MU_TEST(info, tcb_priority_and_mcp_fields) {
  NEW_OBJECT(tcb, Tcb, 0);
  ASSERT_OK(tcb_set_priority(tcb, 100));
  ASSERT_OK(tcb_set_mcp(tcb, 80));
  const int64_t info = tcb_get_info(tcb);
  ASSERT_EQ(info, static_cast<int64_t>(ThreadRunState::Inactive) | (100 << 8) | (80 << 16));
  // captest itself: running (it is the caller), at init's priority, MCP 0.
  ASSERT_EQ(tcb_get_info(mu::kInitSlotTcb),
            static_cast<int64_t>(ThreadRunState::Running) | (mu::kInitPriority << 8));
}

MU_TEST(info, tcb_running_thread) {
  reset();
  Thread t;
  ASSERT_OK(start(&t, spin));
  WAIT_FOR(g.started == 1);
  ASSERT_EQ(state_of(t.tcb), ThreadRunState::Running);  // ready: it yields to captest
  ASSERT_OK(tcb_suspend(t.tcb));
  ASSERT_EQ(state_of(t.tcb), ThreadRunState::Inactive);
  ASSERT_OK(tcb_resume(t.tcb));
  ASSERT_EQ(state_of(t.tcb), ThreadRunState::Running);
}

MU_TEST(info, tcb_blocked_in_recv) {
  reset();
  NEW_OBJECT(ep, Endpoint, 0);
  g.ep = ep;
  Thread t;
  ASSERT_OK(start(&t, receive));
  WAIT_FOR(g.started == 1);
  ASSERT_EQ(state_of(t.tcb), ThreadRunState::BlockedRecv);
  ASSERT_OK(send(ep, msg(1, 0)));
  WAIT_FOR(g.done == 1);
  ASSERT_OK(g.status);
  ASSERT_NE(state_of(t.tcb), ThreadRunState::BlockedRecv);
}

MU_TEST(info, tcb_blocked_in_send_and_call) {
  reset();
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_OBJECT(reply_obj, Reply, 0);
  g.ep = ep;
  Thread sender, caller;
  ASSERT_OK(start(&sender, send_one));
  WAIT_FOR(g.started == 1);
  ASSERT_EQ(state_of(sender.tcb), ThreadRunState::BlockedSend);
  Message m;
  uint64_t badge = 0;
  ASSERT_OK(recv(ep, 0, &m, &badge));
  WAIT_FOR(g.done == 1);
  ASSERT_OK(start(&caller, call_one));
  WAIT_FOR(g.started == 2);
  ASSERT_EQ(state_of(caller.tcb), ThreadRunState::BlockedSend);  // no receiver yet
  ASSERT_OK(recv(ep, reply_obj, &m, &badge));
  ASSERT_EQ(state_of(caller.tcb), ThreadRunState::BlockedReply);  // received, not replied
  ASSERT_OK(reply(reply_obj, msg(0, 0)));
  WAIT_FOR(g.done == 2);
}

MU_TEST(info, tcb_blocked_in_ntfn_wait) {
  reset();
  NEW_OBJECT(ntfn, Notification, 0);
  g.ntfn = ntfn;
  Thread t;
  ASSERT_OK(start(&t, wait_notification));
  WAIT_FOR(g.started == 1);
  ASSERT_EQ(state_of(t.tcb), ThreadRunState::BlockedNotification);
  ASSERT_OK(signal(ntfn));
  WAIT_FOR(g.done == 1);
  ASSERT_OK(g.status);
}

MU_TEST(info, tcb_sleeping_thread) {
  reset();
  Thread t;
  ASSERT_OK(start(&t, sleep_long));
  WAIT_FOR(g.started == 1);
  ASSERT_EQ(state_of(t.tcb), ThreadRunState::Sleeping);
  ASSERT_OK(tcb_suspend(t.tcb));  // cancels the sleep
  ASSERT_EQ(state_of(t.tcb), ThreadRunState::Inactive);
}

MU_TEST(info, tcb_get_info_checks_the_cap) {
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_OBJECT(tcb, Tcb, 0);
  NEW_SLOT(empty);
  NEW_SLOT(read_only);
  NEW_SLOT(write_only);
  ASSERT_STATUS(tcb_get_info(ep), WrongType);
  ASSERT_STATUS(tcb_get_info(mu::kInitSlotCNode), WrongType);
  ASSERT_STATUS(tcb_get_info(empty), SlotEmpty);
  ASSERT_STATUS(tcb_get_info(kRootSlots), InvalidSlot);
  ASSERT_STATUS(tcb_get_info(kSelf), InvalidSlot);
  // The read right is what it needs.
  ASSERT_OK(cap_copy(kSelf, tcb, kSelf, read_only, mu::kRightRead));
  ASSERT_OK(cap_copy(kSelf, tcb, kSelf, write_only, mu::kRightWrite));
  ASSERT_TRUE(tcb_get_info(read_only) >= 0);
  ASSERT_STATUS(tcb_get_info(write_only), InsufficientRights);
}

// ---------------------------------------------------------------- exit fault

MU_TEST(info, thread_exit_goes_to_fault_handler) {
  reset();
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_OBJECT(reply_obj, Reply, 0);
  NEW_SLOT(fault_ep);
  ASSERT_OK(cap_mint(kSelf, ep, kSelf, fault_ep, mu::kRightsAll, 0xE1));
  Thread t;
  ASSERT_OK(start(&t, exit_with, 42, fault_ep));
  Message m;
  uint64_t badge = 0;
  ASSERT_OK(recv(ep, reply_obj, &m, &badge));
  ASSERT_EQ(badge, 0xE1);
  ASSERT_EQ(MessageTag{m.tag}.label(), mu::kFaultExit);
  ASSERT_EQ(MessageTag{m.tag}.length(), mu::kFaultMessageWords);
  ASSERT_EQ(m.mr[1], 42);
  mu::UserRegisters regs{};
  ASSERT_OK(tcb_read_registers(t.tcb, &regs));
  ASSERT_EQ(m.mr[0], regs.rip);  // where ThreadExit was called from
  ASSERT_EQ(state_of(t.tcb), ThreadRunState::BlockedReply);
  // A reply that would resume any other fault leaves an exited thread Inactive.
  ASSERT_OK(reply(reply_obj, msg(0, 0)));
  for (int i = 0; i < 20; ++i) yield();
  ASSERT_EQ(state_of(t.tcb), ThreadRunState::Inactive);
  ASSERT_EQ(g.done, 0);
  // Resuming it as it is would return from ThreadExit: refused.
  ASSERT_STATUS(tcb_resume(t.tcb), IllegalOperation);
  ASSERT_EQ(state_of(t.tcb), ThreadRunState::Inactive);
  // New registers give it somewhere to go.
  g.tcb = t.tcb;
  regs.rip = reinterpret_cast<uint64_t>(&revived);
  regs.rsp = t.stack_top - 8;
  regs.rdi = 0x600D;
  ASSERT_OK(tcb_write_registers(t.tcb, &regs));
  ASSERT_OK(tcb_resume(t.tcb));
  WAIT_FOR(g.value == 0x600D);
  ASSERT_EQ(g.done, 0);
}

MU_TEST(info, process_exit_with_stop_reply_stays_inactive) {
  reset();
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_OBJECT(reply_obj, Reply, 0);
  Thread t;
  ASSERT_OK(start(&t, process_exit_with, static_cast<uint64_t>(-3), ep));
  Message m;
  uint64_t badge = 0;
  ASSERT_OK(recv(ep, reply_obj, &m, &badge));
  ASSERT_EQ(MessageTag{m.tag}.label(), mu::kFaultExit);
  ASSERT_EQ(static_cast<int64_t>(m.mr[1]), -3);
  ASSERT_OK(reply(reply_obj, msg(mu::kFaultReplyStop, 0)));
  for (int i = 0; i < 20; ++i) yield();
  ASSERT_EQ(state_of(t.tcb), ThreadRunState::Inactive);
  ASSERT_STATUS(tcb_resume(t.tcb), IllegalOperation);
  ASSERT_EQ(g.done, 0);
}

MU_TEST(info, exit_suspended_while_reported_stays_exited) {
  // Suspending the thread while its exit waits for the handler does not undo the exit.
  reset();
  NEW_OBJECT(ep, Endpoint, 0);
  Thread t;
  ASSERT_OK(start(&t, exit_with, 5, ep));
  WAIT_FOR(g.started == 1);
  ASSERT_EQ(state_of(t.tcb), ThreadRunState::BlockedReply);  // queued on the fault endpoint
  ASSERT_OK(tcb_suspend(t.tcb));
  ASSERT_EQ(state_of(t.tcb), ThreadRunState::Inactive);
  ASSERT_STATUS(tcb_resume(t.tcb), IllegalOperation);
  for (int i = 0; i < 20; ++i) yield();
  ASSERT_EQ(g.done, 0);
}

// ---------------------------------------------------------------- InitBootCaps

MU_TEST(info, boot_caps_memory_fields) {
  const mu::InitBootCaps& caps = boot_caps();
  uint64_t untyped = 0;
  for (uint64_t i = 0; i < caps.untyped.count; ++i)
    untyped += uint64_t{1} << caps.untyped_size_bits[i];
  ASSERT_TRUE(caps.kernel_bytes > 0);  // at least the kernel image
  ASSERT_TRUE(untyped > 0);
  ASSERT_TRUE(caps.usable_bytes >= caps.kernel_bytes + untyped);
  ASSERT_EQ(caps.kernel_bytes % kPage, 0);
  ASSERT_EQ(caps.usable_bytes % kPage, 0);
}

MU_TEST(info, boot_caps_framebuffer_fields) {
  const mu::InitBootCaps& caps = boot_caps();
  const mu::FramebufferGeometry& fb = caps.fb;
  if (caps.framebuffer_frames.count == 0) {
    ASSERT_EQ(fb.bytes, 0);
    return;
  }
  ASSERT_TRUE(fb.bytes > 0);
  // The frames cover the framebuffer: its bytes rounded up to pages (it starts page-aligned on
  // every GOP seen so far; one more frame when it does not).
  const uint64_t pages = (fb.bytes + kPage - 1) / kPage;
  ASSERT_TRUE(caps.framebuffer_frames.count == pages || caps.framebuffer_frames.count == pages + 1);
  ASSERT_EQ(fb.bits_per_pixel, 32);
  ASSERT_TRUE(fb.width > 0 && fb.height > 0);
  ASSERT_TRUE(uint64_t{fb.width} * 4 <= fb.pitch);
  ASSERT_TRUE(uint64_t{fb.pitch} * fb.height <= fb.bytes);
  const uint8_t shifts[] = {fb.red_shift, fb.green_shift, fb.blue_shift};
  for (uint8_t s : shifts) ASSERT_TRUE(s == 0 || s == 8 || s == 16 || s == 24);
  ASSERT_TRUE(fb.red_shift != fb.green_shift && fb.green_shift != fb.blue_shift &&
              fb.red_shift != fb.blue_shift);
  // The first frame is the framebuffer's start.
  CapInfo info{};
  ASSERT_TRUE(cap_identify(caps.framebuffer_frames.first, &info) >= 0);
  ASSERT_EQ(info.type, ObjectType::Frame4K);
}

// ---------------------------------------------------------------- framebuffer hand-over

MU_TEST(info, framebuffer_frame_maps_and_hands_over) {
  // The kernel stops drawing at the first mapping of a framebuffer frame (the boot log shows
  // `kernel: framebuffer handed to user space` once; tests/system/test_captest.py checks it);
  // here: the mapping works, the memory is the screen's, and mapping again is nothing special.
  const mu::InitBootCaps& caps = boot_caps();
  if (caps.framebuffer_frames.count == 0) return;  // a machine without a framebuffer
  const mu::FramebufferGeometry& fb = caps.fb;
  NEW_SLOT(first);
  NEW_SLOT(last);
  ASSERT_OK(cap_copy(kSelf, caps.framebuffer_frames.first, kSelf, first, mu::kRightsAll));
  ASSERT_OK(cap_copy(kSelf, caps.framebuffer_frames.first + caps.framebuffer_frames.count - 1,
                     kSelf, last, mu::kRightsAll));
  const uint64_t vaddr = alloc_vaddr(2 * kPage);
  ASSERT_OK(map_frame(first, mu::kInitSlotVSpace, vaddr, mu::kMapWrite));
  ASSERT_OK(map_frame(last, mu::kInitSlotVSpace, vaddr + kPage, mu::kMapWrite));
  ASSERT_EQ(frame_address(last) - frame_address(first),
            (caps.framebuffer_frames.count - 1) * kPage);
  // The top-left pixel: write a colour made from the channel shifts, read it back, restore it.
  auto* pixel = reinterpret_cast<volatile uint32_t*>(vaddr);
  const uint32_t before = *pixel;
  const uint32_t green = uint32_t{0xFF} << fb.green_shift;
  *pixel = green;
  ASSERT_EQ(*pixel, green);
  *pixel = before;
  // Deleting the copies unmaps them; the boot caps stay unmapped and usable.
  release_slot(first);
  release_slot(last);
  CapInfo info{};
  ASSERT_TRUE(cap_identify(caps.framebuffer_frames.first, &info) >= 0);
  ASSERT_EQ(info.word0, 0);
}
