// The TSS I/O permission bitmap kept in step with the running thread (see io_bitmap.h).
#include "arch/x86_64/io_bitmap.h"

#include "arch/x86_64/gdt.h"
#include "object/tcb.h"
#include "sched/scheduler.h"

namespace kernel::x86 {
namespace {

// An inclusive port range; first > last means none.
struct PortRange {
  uint32_t first = 1;
  uint32_t last = 0;

  [[nodiscard]] bool empty() const { return first > last; }
  [[nodiscard]] bool operator==(const PortRange& other) const {
    return (empty() && other.empty()) || (first == other.first && last == other.last);
  }
};

PortRange g_open;  // the range whose bits are clear in the bitmap now

// The ports `thread` may use: those of the IoPort cap in its TCB, none for kernel-table threads.
PortRange granted(const sched::Thread* thread) {
  PortRange range;
  if (thread == nullptr || thread->tcb == nullptr) return range;
  const object::Capability& cap = thread->tcb->slots[object::kTcbSlotIoPort].cap;
  if (cap.type != object::ObjectType::IoPort || cap.word0 > cap.word1 || cap.word1 > 0xFFFF)
    return range;
  range.first = static_cast<uint32_t>(cap.word0);
  range.last = static_cast<uint32_t>(cap.word1);
  return range;
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

void open_only(const PortRange& wanted) {
  if (wanted == g_open) return;
  write_bits(g_open, /*closed=*/true);
  write_bits(wanted, /*closed=*/false);
  g_open = wanted;
}

}  // namespace

void io_bitmap_switch(const sched::Thread* next) { open_only(granted(next)); }

void io_bitmap_refresh() { open_only(granted(sched::current())); }

bool io_bitmap_open_range(uint16_t* first, uint16_t* last) {
  if (g_open.empty()) return false;
  *first = static_cast<uint16_t>(g_open.first);
  *last = static_cast<uint16_t>(g_open.last);
  return true;
}

}  // namespace kernel::x86
