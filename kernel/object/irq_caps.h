// IRQ handler and I/O-port capabilities: the kernel state behind them and the operations the
// syscalls in syscall/sys_irq.cc perform once they have checked their arguments.
//
// IRQ lines: IrqControl issues one IrqHandler cap per ISA line 0..15 (word0 = line). The handler
// is an original capability and a derivation-tree child of the IrqControl cap it came from, so
// revoking IrqControl deletes every handler (and their copies). A line's state lives in a small
// kernel table: whether a handler exists, the vector it is routed to (routed once, on first issue,
// and kept: the interrupt layer cannot release vectors) and the bound notification, kept alive by
// a copy of the user's notification cap in a kernel slot. Delivery: mask, EOI (the dispatcher),
// signal the notification with the badge of that cap; IrqHandlerAck unmasks.
//
// I/O ports: IoPort caps name an inclusive range (word0 = first, word1 = last); narrowed ranges
// are derivation-tree children of the cap they came from. A thread uses the ports of the (up to
// three) IoPort caps in its TCB (kTcbSlotIoPort..kTcbSlotIoPortLast) through the TSS bitmap
// (arch/x86_64/io_bitmap.h).
#pragma once

#include <stdint.h>

#include "mu/syscall.h"
#include "object/capability.h"
#include "object/untyped.h"

namespace kernel::object {

inline constexpr uint64_t kIsaIrqLines = 16;

// Whether `line` can get a handler now: InvalidArgument for a line above 15 or one no IOAPIC
// serves, Busy for a line the kernel uses (the PIT on ISA 0 and anything sharing its GSI, the
// cascade line 2) or one that already has a handler (or shares a GSI with one that has).
[[nodiscard]] mu::Status irq_line_check(uint64_t line);

// Issues a handler for `line` into the empty slot `dst` as a child of `control` (an IrqControl
// cap). Routes the line on first use (NoMemory when no vector is free). Precondition:
// irq_line_check(line) returned Ok and `dst` is empty.
[[nodiscard]] mu::Status irq_issue_handler(Slot* control, uint64_t line, Slot* dst);

// Binds the notification named by `ntfn` (a Notification cap, already checked) to `line`, or
// unbinds when `ntfn` is null. Replaces an earlier binding. Binding unmasks the line unless an
// interrupt is waiting for its ack; unbinding masks it.
[[nodiscard]] mu::Status irq_set_notification(uint64_t line, const SlotRef* ntfn);

// Ends the handling of the last interrupt: unmasks the line if a notification is bound.
void irq_ack(uint64_t line);

// Drops the notification copies of lines whose handlers are gone. The destroy hook may not delete
// caps, so it leaves the copy behind; every IRQ syscall calls this first.
void irq_reap_unbound();

// The notification a line is bound to (physical address), 0 if none; for tests and diagnostics.
[[nodiscard]] uint64_t irq_bound_notification(uint64_t line);

// DestroyHook: the line is masked and unbound; it can be issued again.
void irq_handler_destroyed(const Capability& cap);

// Narrows the IoPort cap in `src` to [first, last] into the empty slot `dst`, as its child.
// InvalidArgument unless src.first <= first <= last <= src.last. A range equal to the source's
// is a plain copy (same object); a narrower one is an original cap of a new range.
[[nodiscard]] mu::Status io_port_issue(Slot* src, uint64_t first, uint64_t last, Slot* dst);

}  // namespace kernel::object
