// captest's support library (support.h): slot pool, per-case arena, mappings and threads.
#include "support.h"

#include "framework.h"

using namespace mu::user;
using mu::ObjectType;
using mu::Status;

// A read-only object that lands in .rodata: every page of the image below its page is code or
// read-only data (user.ld places .text first, then .rodata, then .data/.bss), so new_vspace maps
// those pages executable and only pages from here on may be writable.
extern const char captest_rodata_marker[];
[[gnu::used]] const char captest_rodata_marker[] = "captest rodata";

namespace captest {
namespace {

constexpr uint64_t kSlotCount = uint64_t{1} << mu::kInitCNodeRadix;
constexpr uint64_t kPageSize = 4096;
constexpr unsigned kDefaultArenaBits = 24;  // 16 MiB per case
// Support mappings live from 32 TiB up: a PML4 entry of their own, far from the image (4 MiB),
// the initrd (1 TiB) and the stack, boot record and IPC buffer just below 128 TiB.
constexpr uint64_t kVaddrBase = 0x0000'2000'0000'0000ULL;
constexpr unsigned kMaxThreads = 64;

const StartInfo* g_info;
bool g_used[kSlotCount];  // slot handed out by this pool
uint64_t g_first_free;
uint64_t g_parent;  // boot untyped the arenas come from
unsigned g_parent_bits;
unsigned g_arena_bits;
uint64_t g_arena;  // 0 until the case first needs one
uint64_t g_next_vaddr = kVaddrBase;
uint64_t g_threads[kMaxThreads];
unsigned g_thread_count;

uint64_t page_of(uint64_t addr) { return addr & ~(kPageSize - 1); }

// Marks [first, first + count) used and returns first.
uint64_t take(uint64_t first, uint64_t count) {
  for (uint64_t i = 0; i < count; ++i) g_used[first + i] = true;
  return first;
}

[[noreturn]] void thread_trampoline(ThreadEntry entry, uint64_t arg, uint64_t self_tcb) {
  entry(arg);
  if (self_tcb != 0) (void)tcb_suspend(self_tcb);
  (void)syscall6(mu::Sys::ThreadExit, 0);
  for (;;) yield();
}

}  // namespace

const char* support_init(const StartInfo* info) {
  g_info = info;
  const mu::InitBootCaps& caps = boot_caps();
  if (caps.magic != mu::kInitBootCapsMagic) return "InitBootCaps magic wrong";
  if (caps.first_free_slot < mu::kInitSlotFirstFree || caps.first_free_slot >= kSlotCount) {
    return "InitBootCaps first_free_slot out of range";
  }
  g_first_free = caps.first_free_slot;
  // The largest boot untyped with nothing retyped from it yet.
  g_parent = 0;
  for (uint64_t i = 0; i < caps.untyped.count && i < mu::kMaxBootUntyped; ++i) {
    const uint64_t slot = caps.untyped.first + i;
    CapInfo c{};
    if (cap_identify(slot, &c) < 0 || c.type != ObjectType::Untyped || c.word0 != 0) continue;
    if (g_parent == 0 || c.size_bits > g_parent_bits) {
      g_parent = slot;
      g_parent_bits = c.size_bits;
    }
  }
  if (g_parent == 0) return "no usable boot untyped (CapIdentify on the untyped range failed)";
  g_arena_bits = g_parent_bits < kDefaultArenaBits ? g_parent_bits : kDefaultArenaBits;
  return nullptr;
}

const char* support_end_test() {
  // Threads first, so none runs while its memory goes away.
  for (unsigned i = 0; i < g_thread_count; ++i) (void)tcb_suspend(g_threads[i]);
  g_thread_count = 0;
  if (g_arena != 0) (void)cap_revoke(mu::kSelfCNode, g_arena);
  for (uint64_t slot = kSlotCount; slot-- > g_first_free;) {
    if (!g_used[slot]) continue;
    if (slot != g_arena) (void)cap_delete(mu::kSelfCNode, slot);
  }
  if (g_arena != 0) (void)cap_delete(mu::kSelfCNode, g_arena);
  const bool had_arena = g_arena != 0;
  g_arena = 0;
  for (uint64_t slot = g_first_free; slot < kSlotCount; ++slot) g_used[slot] = false;
  g_next_vaddr = kVaddrBase;
  if (!had_arena) return nullptr;
  uint64_t watermark = 0;
  if (cap_identify(g_parent, &watermark) < 0) return "leak: boot untyped unreadable after cleanup";
  if (watermark != 0) return "leak: boot untyped watermark not 0 after revoking the case's arena";
  return nullptr;
}

const mu::InitBootCaps& boot_caps() { return *init_boot_caps(); }
const StartInfo& start_info() { return *g_info; }

uint64_t alloc_slot() { return alloc_slots(1); }

uint64_t alloc_slots(uint64_t count) {
  if (count == 0) return 0;
  uint64_t run = 0;
  for (uint64_t slot = g_first_free; slot < kSlotCount; ++slot) {
    run = g_used[slot] ? 0 : run + 1;
    if (run == count) return take(slot + 1 - count, count);
  }
  return 0;
}

void release_slot(uint64_t slot) {
  if (slot < g_first_free || slot >= kSlotCount) return;
  (void)cap_delete(mu::kSelfCNode, slot);
  if (slot == g_arena) g_arena = 0;
  g_used[slot] = false;
}

bool slot_full(uint64_t slot) { return cap_identify(slot) > 0; }

uint64_t arena_parent() { return g_parent; }
unsigned arena_bits() { return g_arena_bits; }

uint64_t arena() {
  if (g_arena != 0) return g_arena;
  const uint64_t slot = alloc_slot();
  if (slot == 0) return 0;
  if (untyped_retype(g_parent, ObjectType::Untyped, g_arena_bits, mu::kSelfCNode, slot, 1) != 0) {
    g_used[slot] = false;
    return 0;
  }
  g_arena = slot;
  return slot;
}

int64_t retype_objects(ObjectType type, uint64_t user_bits, uint64_t count, uint64_t* first_slot) {
  const uint64_t from = arena();
  if (from == 0) return mu::status_value(Status::NotEnoughMemory);
  const uint64_t first = alloc_slots(count);
  if (first == 0) return mu::status_value(Status::NoMemory);
  const int64_t r = untyped_retype(from, type, user_bits, mu::kSelfCNode, first, count);
  if (r != 0) {
    for (uint64_t i = 0; i < count; ++i) g_used[first + i] = false;
    return r;
  }
  *first_slot = first;
  return 0;
}

uint64_t new_object(ObjectType type, uint64_t user_bits) {
  uint64_t slot = 0;
  const int64_t r = retype_objects(type, user_bits, 1, &slot);
  if (r != 0) {
    fail(__FILE__, __LINE__, "retype from the case's arena", r, 0);
    return 0;
  }
  return slot;
}

uint64_t new_untyped(unsigned bits) { return new_object(ObjectType::Untyped, bits); }

int64_t untyped_free(uint64_t untyped) {
  CapInfo c{};
  const int64_t r = cap_identify(untyped, &c);
  if (r < 0) return r;
  if (c.type != ObjectType::Untyped) return mu::status_value(Status::WrongType);
  return static_cast<int64_t>((uint64_t{1} << c.size_bits) - c.word0);
}

uint64_t alloc_vaddr(uint64_t bytes) {
  const uint64_t addr = g_next_vaddr;
  // A page of space after each range keeps overruns from landing in the next one.
  g_next_vaddr += page_of(bytes + kPageSize - 1) + kPageSize;
  return addr;
}

int64_t map_frame(uint64_t frame, uint64_t vspace, uint64_t vaddr, uint64_t map_flags) {
  const int64_t first = frame_map(frame, vspace, vaddr, map_flags);
  if (first != mu::status_value(Status::MissingPageTable)) return first;
  // Add every level from the top; a level that is already there refuses the new table, which
  // is then given back.
  const ObjectType levels[] = {ObjectType::Pdpt, ObjectType::PageDirectory, ObjectType::PageTable};
  for (ObjectType level : levels) {
    uint64_t table = 0;
    const int64_t r = retype_objects(level, 0, 1, &table);
    if (r != 0) return r;
    if (page_table_map(table, vspace, vaddr) != 0) release_slot(table);
  }
  return frame_map(frame, vspace, vaddr, map_flags);
}

uint64_t map_new_frame(uint64_t vspace, uint64_t vaddr, uint64_t map_flags) {
  const uint64_t frame = new_object(ObjectType::Frame4K);
  if (frame == 0) return 0;
  const int64_t r = map_frame(frame, vspace, vaddr, map_flags);
  if (r != 0) {
    fail(__FILE__, __LINE__, "map_frame of a new frame", r, 0);
    return 0;
  }
  return frame;
}

int64_t new_vspace(uint64_t* vspace_slot) {
  uint64_t vspace = 0;
  int64_t r = retype_objects(ObjectType::VSpace, 0, 1, &vspace);
  if (r != 0) return r;
  const mu::InitCapRange image = boot_caps().image_frames;
  const uint64_t rodata = page_of(reinterpret_cast<uint64_t>(captest_rodata_marker));
  for (uint64_t i = 0; i < image.count; ++i) {
    CapInfo original{};
    r = cap_identify(image.first + i, &original);
    if (r < 0) return r;
    const uint64_t copy = alloc_slot();
    if (copy == 0) return mu::status_value(Status::NoMemory);
    r = cap_copy(mu::kSelfCNode, image.first + i, mu::kSelfCNode, copy, mu::kRightsAll);
    if (r != 0) return r;
    const bool writable = (original.rights & mu::kRightWrite) != 0 && original.word0 >= rodata;
    r = map_frame(copy, vspace, original.word0, writable ? mu::kMapWrite : mu::kMapExecute);
    if (r != 0) return r;
  }
  *vspace_slot = vspace;
  return 0;
}

// Maps a new frame at `vaddr` in `vspace`, and (when that is not init's) a copy of it at the same
// address in init's VSpace. Returns the slot of the cap mapped in `vspace` through *frame.
static int64_t map_shared_page(uint64_t vspace, uint64_t vaddr, uint64_t* frame) {
  uint64_t slot = 0;
  int64_t r = retype_objects(ObjectType::Frame4K, 0, 1, &slot);
  if (r != 0) return r;
  r = map_frame(slot, vspace, vaddr, mu::kMapWrite);
  if (r != 0) return r;
  if (vspace != mu::kInitSlotVSpace) {
    const uint64_t copy = alloc_slot();
    if (copy == 0) return mu::status_value(Status::NoMemory);
    r = cap_copy(mu::kSelfCNode, slot, mu::kSelfCNode, copy, mu::kRightsAll);
    if (r != 0) return r;
    r = map_frame(copy, mu::kInitSlotVSpace, vaddr, mu::kMapWrite);
    if (r != 0) return r;
  }
  *frame = slot;
  return 0;
}

int64_t create_thread(Thread* thread, ThreadEntry entry, uint64_t arg,
                      const ThreadOptions& options) {
  *thread = Thread{};
  uint64_t tcb = 0;
  int64_t r = retype_objects(ObjectType::Tcb, 0, 1, &tcb);
  if (r != 0) return r;
  if (g_thread_count < kMaxThreads) g_threads[g_thread_count++] = tcb;
  thread->tcb = tcb;

  const uint64_t stack_pages = options.stack_pages == 0 ? 1 : options.stack_pages;
  const uint64_t stack_base = alloc_vaddr(stack_pages * kPageSize);
  for (uint64_t i = 0; i < stack_pages; ++i) {
    uint64_t frame = 0;
    r = map_shared_page(options.vspace, stack_base + i * kPageSize, &frame);
    if (r != 0) return r;
  }
  thread->stack_top = stack_base + stack_pages * kPageSize;

  if (options.ipc_buffer) {
    thread->ipc_buffer_addr = alloc_vaddr(kPageSize);
    r = map_shared_page(options.vspace, thread->ipc_buffer_addr, &thread->ipc_frame);
    if (r != 0) return r;
  }
  r = tcb_configure(tcb, options.cspace, options.vspace, thread->ipc_frame, thread->ipc_buffer_addr,
                    options.fault_ep);
  if (r != 0) return r;

  mu::UserRegisters regs{};
  regs.rip = reinterpret_cast<uint64_t>(&thread_trampoline);
  regs.rsp = thread->stack_top - 8;  // as if a call pushed a return address: 16n + 8 at entry
  regs.rdi = reinterpret_cast<uint64_t>(entry);
  regs.rsi = arg;
  // The thread can name its own TCB only when it shares init's CSpace.
  regs.rdx = options.cspace == mu::kInitSlotCNode ? tcb : 0;
  r = tcb_write_registers(tcb, &regs);
  if (r != 0) return r;
  r = tcb_set_priority(tcb, options.priority);
  if (r != 0) return r;
  return options.resume ? tcb_resume(tcb) : 0;
}

}  // namespace captest
