// Interrupt and I/O-port tests: IrqControlGet, IrqHandlerSetNotification, IrqHandlerAck,
// IoPortIssue and TcbSetIoPorts (kernel/syscall/sys_irq.cc lists every error).
//
// Interrupt delivery uses the RTC's periodic interrupt (ISA IRQ 8), which captest programs itself
// through ports 0x70/0x71 with an IoPort cap for exactly those, granted to its own TCB. Port
// access from other threads uses port 0x80 (the POST diagnostic port: reads and writes have no
// effect), 0x84 (a DMA page register no channel uses) and the top ports 0xFFF8..0xFFFF (nothing
// decodes them under QEMU). A thread holds up to three grants (TcbSetIoPorts index 0..2).
#include "framework.h"
#include "support.h"

using namespace mu::user;
using namespace captest;
using mu::ObjectType;

// The thread side of the port probes: `in` from port rdi (irqtest_port_in), or `in` then `out`
// of the value read (irqtest_port_in_out), then increment *rsi. The address of the `in`
// instruction is exported, so a test can check that a stopped thread's rip is exactly there.
extern "C" void irqtest_port_in(uint64_t port, volatile uint64_t* counter);
extern "C" void irqtest_port_in_out(uint64_t port, volatile uint64_t* counter);
extern "C" char irqtest_port_in_insn[];
asm(R"(
  .text
  .globl irqtest_port_in
  .globl irqtest_port_in_insn
  .globl irqtest_port_in_out
irqtest_port_in:
  movl %edi, %edx
irqtest_port_in_insn:
  inb %dx, %al
  lock incq (%rsi)
  ret
irqtest_port_in_out:
  movl %edi, %edx
  inb %dx, %al
  outb %al, %dx
  lock incq (%rsi)
  ret
)");

namespace {

constexpr uint64_t kSelf = mu::kSelfCNode;
constexpr uint64_t kRootSlots = uint64_t{1} << mu::kInitCNodeRadix;
constexpr uint8_t kR = mu::kRightRead;
constexpr uint8_t kAll = mu::kRightsAll;

constexpr uint64_t kRtcLine = 8;
constexpr uint16_t kCmosIndex = 0x70;
constexpr uint16_t kCmosData = 0x71;
constexpr uint16_t kPostPort = 0x80;
constexpr uint64_t kDeliveryTimeoutNs = 2'000'000'000;  // far above the RTC period (8 ms)
constexpr uint64_t kQuietWindowNs = 100'000'000;        // ~12 RTC periods
constexpr int kMaxYields = 2000;  // bound on waiting for another thread of the same priority
constexpr uint64_t kGpVector = 13;

int64_t type_of(uint64_t slot) {
  const int64_t packed = cap_identify(slot);
  return packed < 0 ? packed : (packed & 0xFF);
}

uint8_t inb(uint16_t port) {
  uint8_t value;
  asm volatile("inb %w1, %b0" : "=a"(value) : "Nd"(port));
  return value;
}
void outb(uint16_t port, uint8_t value) {
  asm volatile("outb %b0, %w1" : : "a"(value), "Nd"(port));
}

uint8_t cmos_read(uint8_t reg) {
  outb(kCmosIndex, reg);
  return inb(kCmosData);
}
void cmos_write(uint8_t reg, uint8_t value) {
  outb(kCmosIndex, reg);
  outb(kCmosData, value);
}

// Gives captest's own TCB the ports [first, last] for the rest of the case (through a narrowed
// cap in a fresh slot); the destructor takes them away again, since init's TCB outlives the case.
class SelfPorts {
 public:
  SelfPorts(uint16_t first, uint16_t last) {
    slot_ = alloc_slot();
    if (slot_ == 0) return;
    status_ = io_port_issue(mu::kInitSlotIoPort, first, last, kSelf, slot_);
    if (status_ == 0) status_ = tcb_set_io_ports(mu::kInitSlotTcb, slot_);
  }
  ~SelfPorts() { (void)tcb_set_io_ports(mu::kInitSlotTcb, 0); }
  SelfPorts(const SelfPorts&) = delete;
  SelfPorts& operator=(const SelfPorts&) = delete;
  [[nodiscard]] int64_t status() const { return slot_ == 0 ? -1 : status_; }

 private:
  uint64_t slot_ = 0;
  int64_t status_ = -1;
};

// The RTC's periodic interrupt at 128 Hz (MC146818: register A rate 9, register B bit 6 PIE;
// reading register C acknowledges the RTC so it can raise the line again). Off again at the end.
class RtcPeriodic {
 public:
  RtcPeriodic() {
    cmos_write(0x0A, static_cast<uint8_t>((cmos_read(0x0A) & 0xF0) | 0x09));
    cmos_write(0x0B, static_cast<uint8_t>(cmos_read(0x0B) | 0x40));
    rearm();
  }
  ~RtcPeriodic() {
    cmos_write(0x0B, static_cast<uint8_t>(cmos_read(0x0B) & ~0x40));
    rearm();
  }
  RtcPeriodic(const RtcPeriodic&) = delete;
  RtcPeriodic& operator=(const RtcPeriodic&) = delete;
  static void rearm() { (void)cmos_read(0x0C); }
};

// A port probe run by another thread: each time `go` moves past `done`, the thread reads `port`
// once (and writes the value back when `write` is set) and increments `done`.
struct Probe {
  volatile uint64_t port = kPostPort;
  volatile uint64_t write = 0;
  volatile uint64_t go = 0;
  volatile uint64_t done = 0;
};

void probe_thread(uint64_t arg) {
  auto* probe = reinterpret_cast<Probe*>(arg);
  for (;;) {
    while (probe->go == probe->done) yield();
    if (probe->write != 0) {
      irqtest_port_in_out(probe->port, &probe->done);
    } else {
      irqtest_port_in(probe->port, &probe->done);
    }
  }
}

// Asks the probe for one more access and yields until it is done; false if it never finishes.
bool probe_once(Probe* probe) {
  const uint64_t want = probe->done + 1;
  probe->go = want;
  for (int i = 0; i < kMaxYields && probe->done != want; ++i) yield();
  return probe->done == want;
}

constexpr unsigned kGrants = 3;  // I/O-port grants per thread (TcbSetIoPorts index 0..2)

// Starts a probe thread (suspended until its grants are set, then resumed): grant i gets the
// IoPort cap ioports[i] (0: none).
int64_t start_probe_grants(Thread* thread, Probe* probe, const uint64_t (&ioports)[kGrants],
                           uint64_t fault_ep = 0) {
  ThreadOptions options;
  options.resume = false;
  options.fault_ep = fault_ep;
  const int64_t status =
      create_thread(thread, probe_thread, reinterpret_cast<uint64_t>(probe), options);
  if (status != 0) return status;
  for (unsigned i = 0; i < kGrants; ++i) {
    if (ioports[i] == 0) continue;
    const int64_t set = tcb_set_io_ports(thread->tcb, ioports[i], i);
    if (set != 0) return set;
  }
  return tcb_resume(thread->tcb);
}

// A probe thread with one grant (index 0); `ioport` 0: no grant.
int64_t start_probe(Thread* thread, Probe* probe, uint64_t ioport, uint64_t fault_ep = 0) {
  const uint64_t ioports[kGrants] = {ioport, 0, 0};
  return start_probe_grants(thread, probe, ioports, fault_ep);
}

// Reads and writes each of `ports` through the probe; false at the first access that does not
// finish.
template <size_t N>
bool probe_in_out_each(Probe* probe, const uint16_t (&ports)[N]) {
  for (uint16_t port : ports) {
    probe->port = port;
    probe->write = 1;
    if (!probe_once(probe)) return false;
    probe->write = 0;
    if (!probe_once(probe)) return false;
  }
  return true;
}

// A narrowed IoPort cap [first, last] in a fresh slot (0 on failure).
uint64_t issue_ports(uint64_t first, uint64_t last, uint64_t from = mu::kInitSlotIoPort) {
  const uint64_t slot = alloc_slot();
  if (slot == 0) return 0;
  return io_port_issue(from, first, last, kSelf, slot) == 0 ? slot : 0;
}

}  // namespace

#define NEW_OBJECT(var, type, bits)                        \
  const uint64_t var = new_object(ObjectType::type, bits); \
  if (var == 0) return
#define NEW_SLOT(var)                \
  const uint64_t var = alloc_slot(); \
  ASSERT_NE(var, 0)

// After a probe that must fault: the thread gets no further than the `in` (its counter stays)
// and is stopped there.
#define ASSERT_PROBE_STOPPED_AT_IN(thread, probe, done_before)                         \
  do {                                                                                 \
    for (int captest_i = 0; captest_i < 50; ++captest_i) yield();                      \
    ASSERT_EQ((probe).done, (done_before));                                            \
    mu::UserRegisters captest_regs{};                                                  \
    ASSERT_OK(tcb_read_registers((thread).tcb, &captest_regs));                        \
    ASSERT_EQ(captest_regs.rip, reinterpret_cast<uint64_t>(&irqtest_port_in_insn[0])); \
    ASSERT_EQ(captest_regs.rdx, (probe).port);                                         \
  } while (0)

// ---------------------------------------------------------------- IrqControlGet

MU_TEST(irq, get_rejects_bad_lines) {
  NEW_SLOT(dst);
  ASSERT_STATUS(irq_control_get(mu::kInitSlotIrqControl, 16, kSelf, dst), InvalidArgument);
  ASSERT_STATUS(irq_control_get(mu::kInitSlotIrqControl, 255, kSelf, dst), InvalidArgument);
  ASSERT_STATUS(irq_control_get(mu::kInitSlotIrqControl, uint64_t{1} << 40, kSelf, dst),
                InvalidArgument);
  ASSERT_STATUS(irq_control_get(mu::kInitSlotIrqControl, ~uint64_t{0}, kSelf, dst),
                InvalidArgument);
  ASSERT_STATUS(cap_identify(dst), SlotEmpty);
}

MU_TEST(irq, get_kernel_lines_busy) {
  NEW_SLOT(dst);
  // ISA 0 is the PIT (the kernel's periodic timer fallback); 2 is the cascade, which the MADT
  // override 0 -> GSI 2 makes share the PIT's pin under QEMU.
  ASSERT_STATUS(irq_control_get(mu::kInitSlotIrqControl, 0, kSelf, dst), Busy);
  ASSERT_STATUS(irq_control_get(mu::kInitSlotIrqControl, 2, kSelf, dst), Busy);
  ASSERT_STATUS(cap_identify(dst), SlotEmpty);
}

MU_TEST(irq, get_issues_handler_once) {
  NEW_SLOT(handler);
  NEW_SLOT(second);
  ASSERT_OK(irq_control_get(mu::kInitSlotIrqControl, kRtcLine, kSelf, handler));
  uint64_t line = 0;
  const int64_t packed = cap_identify(handler, &line);
  ASSERT_TRUE(packed >= 0);
  ASSERT_EQ(packed & 0xFF, ObjectType::IrqHandler);
  ASSERT_EQ((packed >> 8) & 0xFF, kAll);
  ASSERT_EQ(line, kRtcLine);
  ASSERT_STATUS(irq_control_get(mu::kInitSlotIrqControl, kRtcLine, kSelf, second), Busy);
  // A copy of the handler is the same line, not a second issue.
  ASSERT_OK(cap_copy(kSelf, handler, kSelf, second, kAll));
  ASSERT_EQ(type_of(second), ObjectType::IrqHandler);
}

MU_TEST(irq, get_checks_arguments) {
  NEW_SLOT(dst);
  NEW_SLOT(empty);
  NEW_SLOT(readonly);
  ASSERT_STATUS(irq_control_get(kRootSlots, kRtcLine, kSelf, dst), InvalidSlot);
  ASSERT_STATUS(irq_control_get(empty, kRtcLine, kSelf, dst), SlotEmpty);
  ASSERT_STATUS(irq_control_get(mu::kInitSlotIoPort, kRtcLine, kSelf, dst), WrongType);
  ASSERT_OK(cap_copy(kSelf, mu::kInitSlotIrqControl, kSelf, readonly, kR));
  ASSERT_STATUS(irq_control_get(readonly, kRtcLine, kSelf, dst), InsufficientRights);
  ASSERT_STATUS(irq_control_get(mu::kInitSlotIrqControl, kRtcLine, kSelf, readonly), SlotOccupied);
  ASSERT_STATUS(irq_control_get(mu::kInitSlotIrqControl, kRtcLine, kSelf, kRootSlots), InvalidSlot);
  ASSERT_STATUS(irq_control_get(mu::kInitSlotIrqControl, kRtcLine, mu::kInitSlotTcb, 0),
                InvalidSlot);
  ASSERT_STATUS(cap_identify(dst), SlotEmpty);
  // None of the failures issued the line.
  ASSERT_OK(irq_control_get(mu::kInitSlotIrqControl, kRtcLine, kSelf, dst));
}

MU_TEST(irq, handler_delete_allows_reissue) {
  NEW_SLOT(handler);
  NEW_SLOT(copy);
  ASSERT_OK(irq_control_get(mu::kInitSlotIrqControl, kRtcLine, kSelf, handler));
  ASSERT_OK(cap_copy(kSelf, handler, kSelf, copy, kAll));
  ASSERT_OK(cap_delete(kSelf, handler));
  // The copy still holds the line.
  ASSERT_STATUS(irq_control_get(mu::kInitSlotIrqControl, kRtcLine, kSelf, handler), Busy);
  ASSERT_OK(cap_delete(kSelf, copy));
  ASSERT_OK(irq_control_get(mu::kInitSlotIrqControl, kRtcLine, kSelf, handler));
}

MU_TEST(irq, revoke_control_removes_handlers) {
  NEW_SLOT(control);
  NEW_SLOT(handler);
  NEW_SLOT(other);
  ASSERT_OK(cap_copy(kSelf, mu::kInitSlotIrqControl, kSelf, control, kAll));
  ASSERT_OK(irq_control_get(control, kRtcLine, kSelf, handler));
  ASSERT_OK(irq_control_get(control, 7, kSelf, other));
  ASSERT_OK(cap_revoke(kSelf, control));
  ASSERT_STATUS(cap_identify(handler), SlotEmpty);
  ASSERT_STATUS(cap_identify(other), SlotEmpty);
  ASSERT_EQ(type_of(control), ObjectType::IrqControl);
  ASSERT_OK(irq_control_get(control, kRtcLine, kSelf, handler));
}

// ---------------------------------------------------------------- SetNotification and Ack

MU_TEST(irq, set_notification_checks_arguments) {
  NEW_SLOT(handler);
  NEW_SLOT(readonly_handler);
  NEW_SLOT(readonly_ntfn);
  NEW_SLOT(empty);
  NEW_OBJECT(ntfn, Notification, 0);
  NEW_OBJECT(ep, Endpoint, 0);
  ASSERT_OK(irq_control_get(mu::kInitSlotIrqControl, kRtcLine, kSelf, handler));
  ASSERT_OK(cap_copy(kSelf, handler, kSelf, readonly_handler, kR));
  ASSERT_OK(cap_copy(kSelf, ntfn, kSelf, readonly_ntfn, kR));
  ASSERT_STATUS(irq_handler_set_notification(kRootSlots, ntfn), InvalidSlot);
  ASSERT_STATUS(irq_handler_set_notification(empty, ntfn), SlotEmpty);
  ASSERT_STATUS(irq_handler_set_notification(mu::kInitSlotIrqControl, ntfn), WrongType);
  ASSERT_STATUS(irq_handler_set_notification(readonly_handler, ntfn), InsufficientRights);
  ASSERT_STATUS(irq_handler_set_notification(handler, empty), SlotEmpty);
  ASSERT_STATUS(irq_handler_set_notification(handler, ep), WrongType);
  ASSERT_STATUS(irq_handler_set_notification(handler, readonly_ntfn), InsufficientRights);
  ASSERT_STATUS(irq_handler_set_notification(handler, kRootSlots), InvalidSlot);
  ASSERT_OK(irq_handler_set_notification(handler, ntfn));
  ASSERT_OK(irq_handler_set_notification(handler, ntfn));  // rebinding replaces
  ASSERT_OK(irq_handler_set_notification(handler, 0));
  ASSERT_OK(irq_handler_set_notification(handler, 0));  // unbinding twice is harmless
}

MU_TEST(irq, ack_checks_arguments) {
  NEW_SLOT(handler);
  NEW_SLOT(readonly_handler);
  NEW_SLOT(empty);
  ASSERT_OK(irq_control_get(mu::kInitSlotIrqControl, kRtcLine, kSelf, handler));
  ASSERT_OK(cap_copy(kSelf, handler, kSelf, readonly_handler, kR));
  ASSERT_STATUS(irq_handler_ack(kRootSlots), InvalidSlot);
  ASSERT_STATUS(irq_handler_ack(empty), SlotEmpty);
  ASSERT_STATUS(irq_handler_ack(mu::kInitSlotIrqControl), WrongType);
  ASSERT_STATUS(irq_handler_ack(readonly_handler), InsufficientRights);
  ASSERT_OK(irq_handler_ack(handler));  // nothing pending, nothing bound: still fine
}

// ---------------------------------------------------------------- Delivery (RTC, IRQ 8)

MU_TEST(irq, rtc_interrupt_signals_notification) {
  SelfPorts ports(kCmosIndex, kCmosData);
  ASSERT_OK(ports.status());
  NEW_SLOT(handler);
  NEW_SLOT(badged);
  NEW_OBJECT(ntfn, Notification, 0);
  ASSERT_OK(cap_mint(kSelf, ntfn, kSelf, badged, kAll, 0x800));
  ASSERT_OK(irq_control_get(mu::kInitSlotIrqControl, kRtcLine, kSelf, handler));
  ASSERT_OK(irq_handler_set_notification(handler, badged));
  RtcPeriodic rtc;
  uint64_t word = 0;
  ASSERT_OK(ntfn_wait(ntfn, &word, kDeliveryTimeoutNs));
  ASSERT_EQ(word, 0x800);
}

MU_TEST(irq, rtc_masked_until_ack) {
  SelfPorts ports(kCmosIndex, kCmosData);
  ASSERT_OK(ports.status());
  NEW_SLOT(handler);
  NEW_SLOT(badged);
  NEW_OBJECT(ntfn, Notification, 0);
  ASSERT_OK(cap_mint(kSelf, ntfn, kSelf, badged, kAll, 0x9));
  ASSERT_OK(irq_control_get(mu::kInitSlotIrqControl, kRtcLine, kSelf, handler));
  ASSERT_OK(irq_handler_set_notification(handler, badged));
  RtcPeriodic rtc;
  uint64_t word = 0;
  ASSERT_OK(ntfn_wait(ntfn, &word, kDeliveryTimeoutNs));
  // The RTC keeps ticking and is re-armed, but the line stays masked until the ack.
  RtcPeriodic::rearm();
  ASSERT_STATUS(ntfn_wait(ntfn, &word, kQuietWindowNs), Timeout);
  RtcPeriodic::rearm();
  ASSERT_STATUS(ntfn_wait(ntfn, &word, kQuietWindowNs), Timeout);
  ASSERT_OK(irq_handler_ack(handler));
  RtcPeriodic::rearm();
  word = 0;
  ASSERT_OK(ntfn_wait(ntfn, &word, kDeliveryTimeoutNs));
  ASSERT_EQ(word, 0x9);
}

MU_TEST(irq, rtc_each_ack_delivers_again) {
  SelfPorts ports(kCmosIndex, kCmosData);
  ASSERT_OK(ports.status());
  NEW_SLOT(handler);
  NEW_SLOT(badged);
  NEW_OBJECT(ntfn, Notification, 0);
  ASSERT_OK(cap_mint(kSelf, ntfn, kSelf, badged, kAll, 0x5));
  ASSERT_OK(irq_control_get(mu::kInitSlotIrqControl, kRtcLine, kSelf, handler));
  ASSERT_OK(irq_handler_set_notification(handler, badged));
  RtcPeriodic rtc;
  for (int round = 0; round < 5; ++round) {
    uint64_t word = 0;
    ASSERT_OK(ntfn_wait(ntfn, &word, kDeliveryTimeoutNs));
    ASSERT_EQ(word, 0x5);
    ASSERT_OK(irq_handler_ack(handler));
    RtcPeriodic::rearm();
  }
}

MU_TEST(irq, unbound_line_stays_quiet) {
  SelfPorts ports(kCmosIndex, kCmosData);
  ASSERT_OK(ports.status());
  NEW_SLOT(handler);
  NEW_SLOT(badged);
  NEW_OBJECT(ntfn, Notification, 0);
  ASSERT_OK(cap_mint(kSelf, ntfn, kSelf, badged, kAll, 0x2));
  ASSERT_OK(irq_control_get(mu::kInitSlotIrqControl, kRtcLine, kSelf, handler));
  RtcPeriodic rtc;
  uint64_t word = 0;
  // Issued but never bound: masked.
  ASSERT_OK(irq_handler_ack(handler));
  ASSERT_STATUS(ntfn_wait(ntfn, &word, kQuietWindowNs), Timeout);
  ASSERT_OK(irq_handler_set_notification(handler, badged));
  RtcPeriodic::rearm();
  ASSERT_OK(ntfn_wait(ntfn, &word, kDeliveryTimeoutNs));
  ASSERT_EQ(word, 0x2);
  // Unbound again: acks do not unmask it.
  ASSERT_OK(irq_handler_set_notification(handler, 0));
  ASSERT_OK(irq_handler_ack(handler));
  RtcPeriodic::rearm();
  ASSERT_STATUS(ntfn_wait(ntfn, &word, kQuietWindowNs), Timeout);
}

MU_TEST(irq, binding_outlives_deleted_notification_cap) {
  SelfPorts ports(kCmosIndex, kCmosData);
  ASSERT_OK(ports.status());
  NEW_SLOT(handler);
  NEW_SLOT(badged);
  NEW_OBJECT(ntfn, Notification, 0);
  ASSERT_OK(cap_mint(kSelf, ntfn, kSelf, badged, kAll, 0x40));
  ASSERT_OK(irq_control_get(mu::kInitSlotIrqControl, kRtcLine, kSelf, handler));
  ASSERT_OK(irq_handler_set_notification(handler, badged));
  // The kernel's copy keeps the binding (and its badge) after the caller deletes the bound cap.
  ASSERT_OK(cap_delete(kSelf, badged));
  RtcPeriodic rtc;
  uint64_t word = 0;
  ASSERT_OK(ntfn_wait(ntfn, &word, kDeliveryTimeoutNs));
  ASSERT_EQ(word, 0x40);
}

MU_TEST(irq, deleted_handler_masks_line) {
  SelfPorts ports(kCmosIndex, kCmosData);
  ASSERT_OK(ports.status());
  NEW_SLOT(handler);
  NEW_OBJECT(ntfn, Notification, 0);
  NEW_SLOT(badged);
  ASSERT_OK(cap_mint(kSelf, ntfn, kSelf, badged, kAll, 0x1));
  ASSERT_OK(irq_control_get(mu::kInitSlotIrqControl, kRtcLine, kSelf, handler));
  ASSERT_OK(irq_handler_set_notification(handler, badged));
  RtcPeriodic rtc;
  uint64_t word = 0;
  ASSERT_OK(ntfn_wait(ntfn, &word, kDeliveryTimeoutNs));
  ASSERT_OK(irq_handler_ack(handler));
  ASSERT_OK(cap_delete(kSelf, handler));
  (void)ntfn_poll(ntfn, &word);  // an interrupt between the ack and the delete may have landed
  RtcPeriodic::rearm();
  ASSERT_STATUS(ntfn_wait(ntfn, &word, kQuietWindowNs), Timeout);
  // Re-issued, the line starts unbound and masked again.
  ASSERT_OK(irq_control_get(mu::kInitSlotIrqControl, kRtcLine, kSelf, handler));
  ASSERT_OK(irq_handler_ack(handler));
  RtcPeriodic::rearm();
  ASSERT_STATUS(ntfn_wait(ntfn, &word, kQuietWindowNs), Timeout);
}

// ---------------------------------------------------------------- IoPortIssue

MU_TEST(ioport, issue_narrows_range) {
  NEW_SLOT(cmos);
  NEW_SLOT(data);
  ASSERT_OK(io_port_issue(mu::kInitSlotIoPort, kCmosIndex, kCmosData, kSelf, cmos));
  uint64_t first = 0, last = 0;
  const int64_t packed = cap_identify(cmos, &first, &last);
  ASSERT_TRUE(packed >= 0);
  ASSERT_EQ(packed & 0xFF, ObjectType::IoPort);
  ASSERT_EQ(first, kCmosIndex);
  ASSERT_EQ(last, kCmosData);
  ASSERT_OK(io_port_issue(cmos, kCmosData, kCmosData, kSelf, data));
  ASSERT_TRUE(cap_identify(data, &first, &last) >= 0);
  ASSERT_EQ(first, kCmosData);
  ASSERT_EQ(last, kCmosData);
  ASSERT_OK(cap_delete(kSelf, data));
  // The whole source range is allowed too (a copy).
  ASSERT_OK(io_port_issue(cmos, kCmosIndex, kCmosData, kSelf, data));
  ASSERT_TRUE(cap_identify(data, &first, &last) >= 0);
  ASSERT_EQ(first, kCmosIndex);
  ASSERT_EQ(last, kCmosData);
}

MU_TEST(ioport, issue_checks_arguments) {
  NEW_SLOT(cmos);
  NEW_SLOT(dst);
  NEW_SLOT(empty);
  NEW_SLOT(readonly);
  ASSERT_OK(io_port_issue(mu::kInitSlotIoPort, kCmosIndex, kCmosData, kSelf, cmos));
  ASSERT_STATUS(io_port_issue(cmos, 0x6F, 0x71, kSelf, dst), InvalidArgument);
  ASSERT_STATUS(io_port_issue(cmos, 0x70, 0x72, kSelf, dst), InvalidArgument);
  ASSERT_STATUS(io_port_issue(cmos, 0x71, 0x70, kSelf, dst), InvalidArgument);
  ASSERT_STATUS(io_port_issue(mu::kInitSlotIoPort, 0, 0x10000, kSelf, dst), InvalidArgument);
  ASSERT_STATUS(io_port_issue(mu::kInitSlotIoPort, ~uint64_t{0}, ~uint64_t{0}, kSelf, dst),
                InvalidArgument);
  ASSERT_STATUS(io_port_issue(kRootSlots, 0x70, 0x70, kSelf, dst), InvalidSlot);
  ASSERT_STATUS(io_port_issue(empty, 0x70, 0x70, kSelf, dst), SlotEmpty);
  ASSERT_STATUS(io_port_issue(mu::kInitSlotIrqControl, 0x70, 0x70, kSelf, dst), WrongType);
  ASSERT_OK(cap_copy(kSelf, cmos, kSelf, readonly, kR));
  ASSERT_STATUS(io_port_issue(readonly, 0x70, 0x70, kSelf, dst), InsufficientRights);
  ASSERT_STATUS(io_port_issue(cmos, 0x70, 0x70, kSelf, cmos), SlotOccupied);
  ASSERT_STATUS(io_port_issue(cmos, 0x70, 0x70, kSelf, kRootSlots), InvalidSlot);
  ASSERT_STATUS(cap_identify(dst), SlotEmpty);
}

MU_TEST(ioport, revoke_removes_narrowed_caps) {
  NEW_SLOT(wide);
  NEW_SLOT(narrow);
  NEW_SLOT(narrower);
  ASSERT_OK(io_port_issue(mu::kInitSlotIoPort, 0x60, 0x7F, kSelf, wide));
  ASSERT_OK(io_port_issue(wide, 0x70, 0x71, kSelf, narrow));
  ASSERT_OK(io_port_issue(narrow, 0x71, 0x71, kSelf, narrower));
  ASSERT_OK(cap_revoke(kSelf, wide));
  ASSERT_STATUS(cap_identify(narrow), SlotEmpty);
  ASSERT_STATUS(cap_identify(narrower), SlotEmpty);
  ASSERT_EQ(type_of(wide), ObjectType::IoPort);
}

// ---------------------------------------------------------------- TcbSetIoPorts

MU_TEST(ioport, set_io_ports_checks_arguments) {
  NEW_SLOT(empty);
  NEW_OBJECT(tcb, Tcb, 0);
  const uint64_t ports = issue_ports(kPostPort, kPostPort);
  ASSERT_NE(ports, 0);
  ASSERT_STATUS(tcb_set_io_ports(kRootSlots, ports), InvalidSlot);
  ASSERT_STATUS(tcb_set_io_ports(empty, ports), SlotEmpty);
  ASSERT_STATUS(tcb_set_io_ports(mu::kInitSlotIoPort, ports), WrongType);
  ASSERT_STATUS(tcb_set_io_ports(tcb, empty), SlotEmpty);
  ASSERT_STATUS(tcb_set_io_ports(tcb, mu::kInitSlotIrqControl), WrongType);
  ASSERT_STATUS(tcb_set_io_ports(tcb, kRootSlots), InvalidSlot);
  ASSERT_OK(tcb_set_io_ports(tcb, ports));
  ASSERT_OK(tcb_set_io_ports(tcb, ports));  // replaces the earlier grant
  ASSERT_OK(tcb_set_io_ports(tcb, 0));
  ASSERT_OK(tcb_set_io_ports(tcb, 0));
  // Three grants, index 0..2; the index is checked after both capabilities.
  ASSERT_OK(tcb_set_io_ports(tcb, ports, 1));
  ASSERT_OK(tcb_set_io_ports(tcb, ports, 2));
  ASSERT_STATUS(tcb_set_io_ports(tcb, ports, 3), InvalidArgument);
  ASSERT_STATUS(tcb_set_io_ports(tcb, 0, 3), InvalidArgument);
  ASSERT_STATUS(tcb_set_io_ports(tcb, ports, ~uint64_t{0}), InvalidArgument);
  ASSERT_STATUS(tcb_set_io_ports(tcb, ports, uint64_t{1} << 32), InvalidArgument);
  ASSERT_STATUS(tcb_set_io_ports(tcb, empty, 3), SlotEmpty);
  ASSERT_STATUS(tcb_set_io_ports(empty, ports, 3), SlotEmpty);
  ASSERT_OK(tcb_set_io_ports(tcb, 0, 1));
  ASSERT_OK(tcb_set_io_ports(tcb, 0, 2));
}

MU_TEST(ioport, own_grant_takes_effect_at_once) {
  SelfPorts ports(kCmosIndex, kCmosData);
  ASSERT_OK(ports.status());
  // Register 0x0D bit 7: "valid RAM and time" (MC146818), set on any working RTC.
  ASSERT_EQ(cmos_read(0x0D) & 0x80, 0x80);
}

MU_TEST(ioport, thread_uses_granted_ports) {
  const uint64_t ports = issue_ports(kPostPort, kPostPort);
  ASSERT_NE(ports, 0);
  Probe probe;
  Thread thread;
  ASSERT_OK(start_probe(&thread, &probe, ports));
  ASSERT_TRUE(probe_once(&probe));
  ASSERT_TRUE(probe_once(&probe));
  ASSERT_EQ(probe.done, 2);
}

MU_TEST(ioport, thread_without_grant_faults) {
  Probe probe;
  Thread thread;
  ASSERT_OK(start_probe(&thread, &probe, 0));
  probe.go = 1;
  ASSERT_PROBE_STOPPED_AT_IN(thread, probe, 0);
}

MU_TEST(ioport, port_outside_range_faults) {
  const uint64_t ports = issue_ports(kPostPort, kPostPort);
  ASSERT_NE(ports, 0);
  Probe probe;
  Thread thread;
  ASSERT_OK(start_probe(&thread, &probe, ports));
  ASSERT_TRUE(probe_once(&probe));
  probe.port = kPostPort + 1;  // one past the grant
  probe.go = 2;
  ASSERT_PROBE_STOPPED_AT_IN(thread, probe, 1);
}

MU_TEST(ioport, port_below_range_faults) {
  const uint64_t ports = issue_ports(0x81, 0x8F);
  ASSERT_NE(ports, 0);
  Probe probe;
  probe.port = 0x8F;
  Thread thread;
  ASSERT_OK(start_probe(&thread, &probe, ports));
  ASSERT_TRUE(probe_once(&probe));
  probe.port = kPostPort;  // one below the grant
  probe.go = 2;
  ASSERT_PROBE_STOPPED_AT_IN(thread, probe, 1);
}

MU_TEST(ioport, outside_range_fault_message_is_gp) {
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_OBJECT(reply_obj, Reply, 0);
  const uint64_t ports = issue_ports(kPostPort, kPostPort);
  ASSERT_NE(ports, 0);
  Probe probe;
  probe.port = 0x81;
  Thread thread;
  ASSERT_OK(start_probe(&thread, &probe, ports, ep));
  probe.go = 1;
  Message msg;
  uint64_t badge = 0;
  ASSERT_OK(recv(ep, reply_obj, &msg, &badge, kDeliveryTimeoutNs));
  ASSERT_EQ(mu::MessageTag{msg.tag}.label(), mu::kFaultException);
  ASSERT_EQ(msg.mr[0], reinterpret_cast<uint64_t>(&irqtest_port_in_insn[0]));
  ASSERT_EQ(msg.mr[1], kGpVector);
  ASSERT_EQ(probe.done, 0);
}

MU_TEST(ioport, narrowed_grant_from_narrowed_cap) {
  const uint64_t wide = issue_ports(0x80, 0x87);
  ASSERT_NE(wide, 0);
  const uint64_t narrow = issue_ports(0x84, 0x84, wide);
  ASSERT_NE(narrow, 0);
  Probe probe;
  probe.port = 0x84;
  Thread thread;
  ASSERT_OK(start_probe(&thread, &probe, narrow));
  ASSERT_TRUE(probe_once(&probe));
  probe.port = 0x85;  // inside `wide`, outside the thread's cap
  probe.go = 2;
  ASSERT_PROBE_STOPPED_AT_IN(thread, probe, 1);
}

MU_TEST(ioport, top_port_in_range) {
  // Port 0xFFFF's bit is the last of the bitmap; the CPU also reads the byte after it.
  const uint64_t ports = issue_ports(0xFFF8, 0xFFFF);
  ASSERT_NE(ports, 0);
  Probe probe;
  probe.port = 0xFFFF;
  Thread thread;
  ASSERT_OK(start_probe(&thread, &probe, ports));
  ASSERT_TRUE(probe_once(&probe));
  probe.port = 0xFFF7;
  probe.go = 2;
  ASSERT_PROBE_STOPPED_AT_IN(thread, probe, 1);
}

MU_TEST(ioport, revoke_removes_thread_access) {
  const uint64_t wide = issue_ports(0x80, 0x8F);
  ASSERT_NE(wide, 0);
  const uint64_t narrow = issue_ports(0x80, 0x80, wide);
  ASSERT_NE(narrow, 0);
  Probe probe;
  Thread thread;
  ASSERT_OK(start_probe(&thread, &probe, narrow));
  ASSERT_TRUE(probe_once(&probe));
  // The TCB's copy is derived from `narrow`, which is derived from `wide`: revoking `wide`
  // removes it, and the thread loses the port by the time it runs again.
  ASSERT_OK(cap_revoke(kSelf, wide));
  ASSERT_STATUS(cap_identify(narrow), SlotEmpty);
  probe.go = 2;
  ASSERT_PROBE_STOPPED_AT_IN(thread, probe, 1);
}

MU_TEST(ioport, cleared_grant_removes_access) {
  const uint64_t ports = issue_ports(kPostPort, kPostPort);
  ASSERT_NE(ports, 0);
  Probe probe;
  Thread thread;
  ASSERT_OK(start_probe(&thread, &probe, ports));
  ASSERT_TRUE(probe_once(&probe));
  ASSERT_OK(tcb_set_io_ports(thread.tcb, 0));
  probe.go = 2;
  ASSERT_PROBE_STOPPED_AT_IN(thread, probe, 1);
}

MU_TEST(ioport, two_threads_keep_their_own_ranges) {
  const uint64_t a_ports = issue_ports(0x80, 0x80);
  const uint64_t b_ports = issue_ports(0x84, 0x84);
  ASSERT_NE(a_ports, 0);
  ASSERT_NE(b_ports, 0);
  Probe a;
  Probe b;
  b.port = 0x84;
  Thread ta;
  Thread tb;
  ASSERT_OK(start_probe(&ta, &a, a_ports));
  ASSERT_OK(start_probe(&tb, &b, b_ports));
  // Alternate so each switch moves the open range from one thread's port to the other's.
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(probe_once(&a));
    ASSERT_TRUE(probe_once(&b));
  }
  a.port = 0x84;  // b's port, never a's
  a.go = a.done + 1;
  ASSERT_PROBE_STOPPED_AT_IN(ta, a, 3);
  ASSERT_TRUE(probe_once(&b));  // b is unaffected
}

// ---------------------------------------------------------------- Several grants per thread

MU_TEST(ioport, two_ranges_at_once) {
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_OBJECT(reply_obj, Reply, 0);
  const uint64_t post = issue_ports(kPostPort, kPostPort);
  const uint64_t page = issue_ports(0x84, 0x84);
  ASSERT_NE(post, 0);
  ASSERT_NE(page, 0);
  Probe probe;
  Thread thread;
  const uint64_t grants[kGrants] = {post, page, 0};
  ASSERT_OK(start_probe_grants(&thread, &probe, grants, ep));
  const uint16_t allowed[] = {kPostPort, 0x84, kPostPort};
  ASSERT_TRUE(probe_in_out_each(&probe, allowed));
  // A port between the two ranges stays closed: #GP at the `in`.
  probe.port = 0x82;
  probe.go = probe.done + 1;
  Message msg;
  uint64_t badge = 0;
  ASSERT_OK(recv(ep, reply_obj, &msg, &badge, kDeliveryTimeoutNs));
  ASSERT_EQ(mu::MessageTag{msg.tag}.label(), mu::kFaultException);
  ASSERT_EQ(msg.mr[0], reinterpret_cast<uint64_t>(&irqtest_port_in_insn[0]));
  ASSERT_EQ(msg.mr[1], kGpVector);
  ASSERT_EQ(probe.done, 6);
}

MU_TEST(ioport, three_ranges_at_once) {
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_OBJECT(reply_obj, Reply, 0);
  const uint64_t post = issue_ports(kPostPort, kPostPort);
  const uint64_t page = issue_ports(0x84, 0x84);
  const uint64_t top = issue_ports(0xFFF8, 0xFFFF);
  ASSERT_NE(post, 0);
  ASSERT_NE(page, 0);
  ASSERT_NE(top, 0);
  Probe probe;
  Thread thread;
  const uint64_t grants[kGrants] = {top, post, page};
  ASSERT_OK(start_probe_grants(&thread, &probe, grants, ep));
  const uint16_t allowed[] = {kPostPort, 0x84, 0xFFF8, 0xFFFF};
  ASSERT_TRUE(probe_in_out_each(&probe, allowed));
  // Between the second and third range.
  probe.port = 0x1000;
  probe.go = probe.done + 1;
  Message msg;
  uint64_t badge = 0;
  ASSERT_OK(recv(ep, reply_obj, &msg, &badge, kDeliveryTimeoutNs));
  ASSERT_EQ(mu::MessageTag{msg.tag}.label(), mu::kFaultException);
  ASSERT_EQ(msg.mr[0], reinterpret_cast<uint64_t>(&irqtest_port_in_insn[0]));
  ASSERT_EQ(msg.mr[1], kGpVector);
  ASSERT_EQ(probe.done, 8);
}

MU_TEST(ioport, ports_between_grants_fault) {
  const uint64_t low = issue_ports(0x80, 0x80);
  const uint64_t high = issue_ports(0x84, 0x84);
  ASSERT_NE(low, 0);
  ASSERT_NE(high, 0);
  Probe probe;
  Thread thread;
  const uint64_t grants[kGrants] = {0, low, high};  // index 0 unused
  ASSERT_OK(start_probe_grants(&thread, &probe, grants));
  ASSERT_TRUE(probe_once(&probe));
  probe.port = 0x83;  // one below the second grant
  probe.go = 2;
  ASSERT_PROBE_STOPPED_AT_IN(thread, probe, 1);
}

MU_TEST(ioport, clearing_one_grant_keeps_the_others) {
  const uint64_t post = issue_ports(kPostPort, kPostPort);
  const uint64_t page = issue_ports(0x84, 0x84);
  const uint64_t top = issue_ports(0xFFFF, 0xFFFF);
  ASSERT_NE(post, 0);
  ASSERT_NE(page, 0);
  ASSERT_NE(top, 0);
  Probe probe;
  Thread thread;
  const uint64_t grants[kGrants] = {post, page, top};
  ASSERT_OK(start_probe_grants(&thread, &probe, grants));
  ASSERT_TRUE(probe_once(&probe));
  ASSERT_OK(tcb_set_io_ports(thread.tcb, 0, 0));  // index 0 (port 0x80) only
  probe.port = 0x84;
  ASSERT_TRUE(probe_once(&probe));
  probe.port = 0xFFFF;
  ASSERT_TRUE(probe_once(&probe));
  probe.port = kPostPort;
  probe.go = 4;
  ASSERT_PROBE_STOPPED_AT_IN(thread, probe, 3);
}

MU_TEST(ioport, replacing_one_grant_keeps_the_others) {
  const uint64_t post = issue_ports(kPostPort, kPostPort);
  const uint64_t page = issue_ports(0x84, 0x84);
  const uint64_t top = issue_ports(0xFFFF, 0xFFFF);
  ASSERT_NE(post, 0);
  ASSERT_NE(page, 0);
  ASSERT_NE(top, 0);
  Probe probe;
  Thread thread;
  const uint64_t grants[kGrants] = {post, page, 0};
  ASSERT_OK(start_probe_grants(&thread, &probe, grants));
  ASSERT_OK(tcb_set_io_ports(thread.tcb, top, 1));  // 0x84 -> 0xFFFF at index 1
  probe.port = 0xFFFF;
  ASSERT_TRUE(probe_once(&probe));
  probe.port = kPostPort;
  ASSERT_TRUE(probe_once(&probe));
  probe.port = 0x84;
  probe.go = 3;
  ASSERT_PROBE_STOPPED_AT_IN(thread, probe, 2);
}

MU_TEST(ioport, revoke_of_second_grant_closes_only_it) {
  const uint64_t post = issue_ports(kPostPort, kPostPort);
  const uint64_t wide = issue_ports(0x84, 0x87);
  ASSERT_NE(post, 0);
  ASSERT_NE(wide, 0);
  const uint64_t page = issue_ports(0x84, 0x84, wide);
  ASSERT_NE(page, 0);
  Probe probe;
  Thread thread;
  const uint64_t grants[kGrants] = {post, page, 0};
  ASSERT_OK(start_probe_grants(&thread, &probe, grants));
  probe.port = 0x84;
  ASSERT_TRUE(probe_once(&probe));
  // The TCB's copy in grant 1 derives from `page`, which derives from `wide`.
  ASSERT_OK(cap_revoke(kSelf, wide));
  ASSERT_STATUS(cap_identify(page), SlotEmpty);
  probe.port = kPostPort;
  ASSERT_TRUE(probe_once(&probe));  // grant 0 is untouched
  probe.port = 0x84;
  probe.go = 3;
  ASSERT_PROBE_STOPPED_AT_IN(thread, probe, 2);
}

MU_TEST(ioport, switches_between_threads_with_several_grants) {
  // a: three grants; b: one range inside a's first, and the same range as a's second at another
  // index. Each switch must close exactly what the other thread does not hold.
  const uint64_t a_wide = issue_ports(0x80, 0x87);
  const uint64_t shared = issue_ports(0xFFFF, 0xFFFF);
  const uint64_t a_top = issue_ports(0xFFF8, 0xFFF8);
  const uint64_t b_page = issue_ports(0x84, 0x84);
  ASSERT_NE(a_wide, 0);
  ASSERT_NE(shared, 0);
  ASSERT_NE(a_top, 0);
  ASSERT_NE(b_page, 0);
  Probe a;
  Probe b;
  b.port = 0x84;
  Thread ta;
  Thread tb;
  const uint64_t a_grants[kGrants] = {a_wide, shared, a_top};
  const uint64_t b_grants[kGrants] = {b_page, 0, shared};
  ASSERT_OK(start_probe_grants(&ta, &a, a_grants));
  ASSERT_OK(start_probe_grants(&tb, &b, b_grants));
  const uint16_t a_ports[] = {0x80, 0x84, 0x87, 0xFFFF, 0xFFF8};
  const uint16_t b_ports[] = {0x84, 0xFFFF};
  for (int i = 0; i < 3; ++i) {
    for (uint16_t port : a_ports) {
      a.port = port;
      ASSERT_TRUE(probe_once(&a));
      b.port = b_ports[port % 2];
      ASSERT_TRUE(probe_once(&b));
    }
  }
  b.port = 0x85;  // inside a's range, next to b's own
  b.go = b.done + 1;
  ASSERT_PROBE_STOPPED_AT_IN(tb, b, 15);
  a.port = 0x85;
  ASSERT_TRUE(probe_once(&a));  // a is unaffected
}
