// IRQ line table, interrupt delivery to notifications, and IoPort narrowing (see irq_caps.h).
#include "object/irq_caps.h"

#include "acpi/madt.h"
#include "acpi/platform.h"
#include "arch/interrupts.h"
#include "ipc/ipc.h"
#include "object/cap_ops.h"
#include "object/cdt.h"
#include "object/cnode.h"
#include "object/kernel_objects.h"

namespace kernel::object {
namespace {

// ISA lines the kernel keeps for itself: the PIT (the periodic timer fallback routes it) and the
// 8259 cascade, which MADT overrides usually alias to the PIT's GSI anyway.
constexpr uint64_t kKernelLines[] = {0, 2};

struct Line {
  bool issued = false;        // an IrqHandler cap for the line exists
  bool awaiting_ack = false;  // an interrupt was delivered and not yet acknowledged
  uint8_t vector = 0;         // 0 until first routed; kept for good once routed
};

Line g_lines[kIsaIrqLines];
// The bound notification of each line: a copy of the user's cap, so the object outlives the
// user's caps for as long as the binding does (a CDT child of the user's cap: revoking that
// removes the binding too). Indexed by line; viewed as a CNode for the cap operations.
Slot g_bound[kIsaIrqLines];
constexpr unsigned kBoundRadix = 4;
static_assert((uint64_t{1} << kBoundRadix) == kIsaIrqLines);

CNode bound_cnode() { return CNode(g_bound, kBoundRadix); }

uint32_t line_gsi(uint64_t line) {
  return acpi::irq_to_gsi(acpi::platform().madt, static_cast<uint8_t>(line)).gsi;
}

bool is_kernel_line(uint64_t line) {
  for (uint64_t kernel_line : kKernelLines) {
    if (line == kernel_line || line_gsi(line) == line_gsi(kernel_line)) return true;
  }
  return false;
}

void set_masked(const Line& l, bool masked) {
  if (l.vector == 0) return;
  if (masked) {
    irq::mask_vector(l.vector);
  } else {
    irq::unmask_vector(l.vector);
  }
}

// Runs from irq::dispatch (EOI already sent, interrupts off): masks the line so it stays quiet
// until the handler's owner acknowledges it, then signals the bound notification.
void line_interrupt(uint8_t vector, void* context) {
  const auto line = reinterpret_cast<uintptr_t>(context);
  irq::mask_vector(vector);
  if (line >= kIsaIrqLines || !g_lines[line].issued || g_bound[line].empty()) return;
  g_lines[line].awaiting_ack = true;
  ipc::signal_notification(g_bound[line].cap.object, g_bound[line].cap.badge());
}

}  // namespace

mu::Status irq_line_check(uint64_t line) {
  if (line >= kIsaIrqLines) return mu::Status::InvalidArgument;
  const acpi::Platform& platform = acpi::platform();
  if (!platform.have_madt || acpi::ioapic_for_gsi(platform.madt, line_gsi(line)) == nullptr)
    return mu::Status::InvalidArgument;
  if (is_kernel_line(line)) return mu::Status::Busy;
  for (uint64_t other = 0; other < kIsaIrqLines; ++other) {
    if (g_lines[other].issued && line_gsi(other) == line_gsi(line)) return mu::Status::Busy;
  }
  return mu::Status::Ok;
}

mu::Status irq_issue_handler(Slot* control, uint64_t line, Slot* dst) {
  Line& l = g_lines[line];
  if (l.vector == 0) {
    l.vector = irq::route_isa_irq(static_cast<uint8_t>(line), line_interrupt,
                                  reinterpret_cast<void*>(static_cast<uintptr_t>(line)));
    if (l.vector == 0) return mu::Status::NoMemory;
  }
  set_masked(l, true);
  l.issued = true;
  l.awaiting_ack = false;
  Capability cap;
  cap.type = ObjectType::IrqHandler;
  cap.rights = control->cap.rights;
  cap.original = 1;  // a new object (the line), not a copy of IrqControl
  cap.word0 = line;
  dst->cap = cap;
  cdt_insert_child(control, dst);
  return mu::Status::Ok;
}

mu::Status irq_set_notification(uint64_t line, const SlotRef* ntfn) {
  Line& l = g_lines[line];
  Slot* bound = &g_bound[line];
  set_masked(l, true);
  if (!bound->empty()) delete_slot(kernel_context(), bound);
  if (ntfn == nullptr) return mu::Status::Ok;
  const CapStatus status = cap_copy(*ntfn, SlotRef{bound_cnode(), line}, mu::kRightsAll);
  if (status != CapStatus::Ok) return mu::status_from(status);
  if (!l.awaiting_ack) set_masked(l, false);
  return mu::Status::Ok;
}

void irq_ack(uint64_t line) {
  Line& l = g_lines[line];
  l.awaiting_ack = false;
  if (!g_bound[line].empty()) set_masked(l, false);
}

void irq_reap_unbound() {
  for (uint64_t line = 0; line < kIsaIrqLines; ++line) {
    if (!g_lines[line].issued && !g_bound[line].empty())
      delete_slot(kernel_context(), &g_bound[line]);
  }
}

uint64_t irq_bound_notification(uint64_t line) {
  if (line >= kIsaIrqLines || g_bound[line].empty()) return 0;
  return g_bound[line].cap.object;
}

void irq_handler_destroyed(const Capability& cap) {
  if (cap.word0 >= kIsaIrqLines) return;
  Line& l = g_lines[cap.word0];
  set_masked(l, true);
  l.issued = false;
  l.awaiting_ack = false;
  // The notification copy in g_bound stays until irq_reap_unbound: a destroy hook may not run
  // capability operations. The line is masked, so it delivers nothing meanwhile.
}

mu::Status io_port_issue(Slot* src, uint64_t first, uint64_t last, Slot* dst) {
  const Capability& from = src->cap;
  if (first > last || first < from.word0 || last > from.word1) return mu::Status::InvalidArgument;
  Capability cap = from;
  cap.word0 = first;
  cap.word1 = last;
  // Same range: a copy of the same object. Narrower: a new range, original below its source.
  cap.original = (first == from.word0 && last == from.word1) ? 0 : 1;
  dst->cap = cap;
  cdt_insert_child(src, dst);
  return mu::Status::Ok;
}

}  // namespace kernel::object
