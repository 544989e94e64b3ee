// The program's heap (mu_runtime.h): HeapCore's allocator over pages this file retypes from the
// program's own untyped (kProgSlotUntyped) and maps from kProgramHeapBase up. The heap only grows;
// freed blocks are reused but their pages stay mapped. Single-threaded.
#include <new>

#include "heap_core.h"
#include "mu_caps.h"
#include "mu_runtime.h"
#include "mu_user.h"

namespace mu::user {
namespace {

constexpr uint64_t kPageSize = 4096;

HeapCore g_core;
bool g_started = false;
bool g_exhausted = false;  // the untyped or the slots ran out: do not ask the kernel again
uint64_t g_failed = 0;

bool ok(int64_t r) { return r == 0; }

// A new object of `type` from the program's untyped in a fresh slot; 0 when out of memory/slots.
uint64_t new_object(ObjectType type) {
  const uint64_t slot = slot_alloc();
  if (slot == 0) return 0;
  if (!ok(untyped_retype(kProgSlotUntyped, type, 0, kSelfCNode, slot, 1))) {
    slot_free(slot);
    return 0;
  }
  return slot;
}

// Links the paging levels `vaddr` lacks. FrameMap only says that some level is missing, so try
// the lowest first and go up while the level above is missing too, then link the waiting ones
// top-down. Each table is retyped only when the level below proved that it is needed, so no
// untyped memory goes to a table that was there already.
bool add_page_tables(uint64_t vaddr) {
  const ObjectType levels[] = {ObjectType::PageTable, ObjectType::PageDirectory, ObjectType::Pdpt};
  uint64_t waiting[3] = {};  // retyped, parent missing; lowest level first
  int count = 0;
  bool ok_so_far = true;
  for (ObjectType level : levels) {
    const uint64_t table = new_object(level);
    if (table == 0) {
      ok_so_far = false;
      break;
    }
    const int64_t r = page_table_map(table, kProgSlotVSpace, vaddr);
    if (r == status_value(Status::MissingPageTable)) {
      waiting[count++] = table;
      continue;
    }
    if (!ok(r)) slot_free(table);  // e.g. Busy: the level exists; linking below shows the rest
    break;
  }
  for (int i = count - 1; i >= 0; --i) {
    if (ok_so_far && ok(page_table_map(waiting[i], kProgSlotVSpace, vaddr))) continue;
    ok_so_far = false;
    slot_free(waiting[i]);
  }
  return ok_so_far;
}

// Maps one fresh writable page at `vaddr`.
bool map_page(uint64_t vaddr) {
  const uint64_t frame = new_object(ObjectType::Frame4K);
  if (frame == 0) return false;
  int64_t r = frame_map(frame, kProgSlotVSpace, vaddr, kMapWrite);
  if (r == status_value(Status::MissingPageTable) && add_page_tables(vaddr)) {
    r = frame_map(frame, kProgSlotVSpace, vaddr, kMapWrite);
  }
  if (!ok(r)) {
    slot_free(frame);
    return false;
  }
  return true;
}

// Maps enough pages at the heap's end for a block of `block_bytes`.
void grow(size_t block_bytes) {
  const size_t tail = g_core.tail_free_bytes();
  const size_t missing = block_bytes > tail ? block_bytes - tail : 0;
  const uint64_t pages = (missing + kPageSize - 1) / kPageSize;
  for (uint64_t i = 0; i < pages; ++i) {
    const uint64_t vaddr = g_core.end();
    if (vaddr + kPageSize > kProgramHeapLimit || !map_page(vaddr)) {
      g_exhausted = true;
      return;
    }
    g_core.extend(kPageSize);
  }
}

void* allocate(size_t bytes, size_t align) {
  if (!g_started) {
    g_core.init(kProgramHeapBase);
    g_started = true;
  }
  if (bytes == 0) bytes = 1;  // every allocation is a distinct pointer
  void* p = g_core.allocate_aligned(bytes, align);
  if (p == nullptr && !g_exhausted && program_start() != nullptr) {
    const size_t extra = align > HeapCore::kAlign ? align + HeapCore::kHeaderBytes : 0;
    const size_t block = HeapCore::block_size_for(bytes + extra);
    if (block != 0) {
      grow(block);
      p = g_core.allocate_aligned(bytes, align);
    }
  }
  if (p == nullptr) ++g_failed;
  return p;
}

}  // namespace

void* heap_alloc(size_t bytes) { return allocate(bytes, HeapCore::kAlign); }
// For the aligned operator new forms (declared here only: not part of the public API).
void* heap_alloc_aligned(size_t bytes, size_t align);
void* heap_alloc_aligned(size_t bytes, size_t align) { return allocate(bytes, align); }

void heap_free(void* p) {
  if (p != nullptr && g_started) (void)g_core.release(p);
}

HeapStats heap_stats() {
  HeapStats stats{};
  stats.mapped_bytes = g_started ? g_core.end() - g_core.base() : 0;
  stats.used_bytes = g_core.used_bytes();
  stats.failed_allocations = g_failed;
  return stats;
}

}  // namespace mu::user

// C++ allocation goes to the heap; running out ends the program with kExitNoMemory (there are
// no exceptions to throw), except for the nothrow forms, which return nullptr.
namespace {

void* new_or_exit(size_t bytes, size_t align) {
  void* p = mu::user::heap_alloc_aligned(bytes, align);
  if (p == nullptr) mu::user::exit(mu::user::kExitNoMemory);
  return p;
}

}  // namespace

void* operator new(size_t bytes) { return new_or_exit(bytes, mu::user::HeapCore::kAlign); }
void* operator new[](size_t bytes) { return new_or_exit(bytes, mu::user::HeapCore::kAlign); }
void* operator new(size_t bytes, std::align_val_t align) {
  return new_or_exit(bytes, static_cast<size_t>(align));
}
void* operator new[](size_t bytes, std::align_val_t align) {
  return new_or_exit(bytes, static_cast<size_t>(align));
}
void* operator new(size_t bytes, const std::nothrow_t&) noexcept {
  return mu::user::heap_alloc(bytes);
}
void* operator new[](size_t bytes, const std::nothrow_t&) noexcept {
  return mu::user::heap_alloc(bytes);
}
void operator delete(void* p) noexcept { mu::user::heap_free(p); }
void operator delete[](void* p) noexcept { mu::user::heap_free(p); }
void operator delete(void* p, size_t) noexcept { mu::user::heap_free(p); }
void operator delete[](void* p, size_t) noexcept { mu::user::heap_free(p); }
void operator delete(void* p, std::align_val_t) noexcept { mu::user::heap_free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { mu::user::heap_free(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { mu::user::heap_free(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { mu::user::heap_free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { mu::user::heap_free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { mu::user::heap_free(p); }
