// The TSS I/O permission bitmap kept in step with the running thread (see io_bitmap.h).
#include "arch/x86_64/io_bitmap.h"

#include "arch/x86_64/gdt.h"
#include "object/tcb.h"
#include "sched/scheduler.h"

namespace kernel::x86 {
namespace {

// An inclusive port range; first > last means none (always stored as {1, 0}).
struct PortRange {
  uint32_t first = 1;
  uint32_t last = 0;

  [[nodiscard]] bool empty() const { return first > last; }
  [[nodiscard]] bool operator==(const PortRange& other) const = default;
  [[nodiscard]] bool overlaps(const PortRange& other) const {
    return !empty() && !other.empty() && first <= other.last && other.first <= last;
  }
};

// A thread's grants, in TCB slot order.
struct PortGrants {
  PortRange ranges[object::kTcbIoPortRanges];

  [[nodiscard]] bool operator==(const PortGrants& other) const = default;
  [[nodiscard]] bool contains(const PortRange& range) const {
    for (const PortRange& r : ranges) {
      if (r == range) return true;
    }
    return false;
  }
};

PortGrants g_open;  // the ranges whose bits are clear in the bitmap now

PortRange range_of(const object::Capability& cap) {
  PortRange range;
  if (cap.type != object::ObjectType::IoPort || cap.word0 > cap.word1 || cap.word1 > 0xFFFF)
    return range;
  range.first = static_cast<uint32_t>(cap.word0);
  range.last = static_cast<uint32_t>(cap.word1);
  return range;
}

// The ports `thread` may use: those of the IoPort caps in its TCB, none for kernel-table threads.
PortGrants granted(const sched::Thread* thread) {
  PortGrants grants;
  if (thread == nullptr || thread->tcb == nullptr) return grants;
  for (unsigned i = 0; i < object::kTcbIoPortRanges; ++i)
    grants.ranges[i] = range_of(thread->tcb->slots[object::kTcbSlotIoPort + i].cap);
  return grants;
}

// Sets (closed) or clears (open) the bits of `range`, whole bytes at a time in the middle.
void write_bits(const PortRange& range, bool closed) {
  if (range.empty()) return;
  uint8_t* bitmap = tss_io_bitmap();
  uint32_t port = range.first;
  while (port <= range.last) {
    const uint32_t byte = port / 8;
    if (port % 8 == 0 && port + 7 <= range.last) {
      bitmap[byte] = closed ? 0xFF : 0x00;
      port += 8;
      continue;
    }
    const auto bit = static_cast<uint8_t>(1u << (port % 8));
    bitmap[byte] = closed ? (bitmap[byte] | bit) : (bitmap[byte] & ~bit);
    ++port;
  }
}

// Closes the open ranges `wanted` does not hold, then opens those of `wanted` that were not open
// or that share ports with a range just closed (ranges may overlap, within a thread or across
// two). A range both sides hold is not touched.
void open_only(const PortGrants& wanted) {
  if (wanted == g_open) return;
  PortRange closed[object::kTcbIoPortRanges];
  for (unsigned i = 0; i < object::kTcbIoPortRanges; ++i) {
    if (g_open.ranges[i].empty() || wanted.contains(g_open.ranges[i])) continue;
    write_bits(g_open.ranges[i], /*closed=*/true);
    closed[i] = g_open.ranges[i];
  }
  for (const PortRange& range : wanted.ranges) {
    bool needs_write = !g_open.contains(range);
    for (const PortRange& gone : closed) needs_write = needs_write || range.overlaps(gone);
    if (needs_write) write_bits(range, /*closed=*/false);
  }
  g_open = wanted;
  io_bitmap_detail::g_any_open = !(wanted == PortGrants{});
}

}  // namespace

namespace io_bitmap_detail {
bool g_any_open = false;
void switch_ranges(const sched::Thread* next) { open_only(granted(next)); }
}  // namespace io_bitmap_detail

void io_bitmap_refresh() { open_only(granted(sched::current())); }

}  // namespace kernel::x86
