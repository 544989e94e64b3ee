// init's slots, memory pool and scratch mappings (pool.h).
#include "pool.h"

#include "mu_caps.h"
#include "mu_user.h"

using namespace mu::user;
using mu::ObjectType;

namespace init {
namespace {

constexpr uint64_t kSlotCount = uint64_t{1} << mu::kInitCNodeRadix;
constexpr uint64_t kPage = 4096;
bool g_used[kSlotCount];
uint64_t g_first_free = kSlotCount;
uint64_t g_in_use;

// One block of the pool: a boot Untyped or a child of a split one. A split block has exactly two
// children (its halves, made by one retype), and frees when both are free again.
enum class BlockState : uint8_t { Unused, Free, Used, Split };
struct Block {
  BlockState state;
  uint8_t bits;
  int16_t parent;  // -1 for a boot Untyped
  uint64_t slot;
};
constexpr size_t kMaxBlocks = 256;
Block g_blocks[kMaxBlocks];
uint64_t g_total_bytes;

// init's own arena: a few objects for itself (endpoint, Reply objects, scratch page tables).
constexpr unsigned kOwnArenaBits = 18;  // 256 KiB
uint64_t g_own_arena;

constexpr uint64_t kScratchBase = 0x0000'2000'0000'0000ULL;  // own PML4 entry, unused otherwise

int new_block() {
  for (size_t i = 0; i < kMaxBlocks; ++i) {
    if (g_blocks[i].state == BlockState::Unused) return static_cast<int>(i);
  }
  return -1;
}

// Splits block `index` into two halves; returns the first half's index or -1.
int split(int index) {
  Block& b = g_blocks[index];
  const int lo = new_block();
  if (lo < 0) return -1;
  g_blocks[lo].state = BlockState::Free;  // reserve the entry before asking for the second
  const int hi = new_block();
  const uint64_t first = hi < 0 ? 0 : slots_alloc(2);
  if (first == 0 || untyped_retype(b.slot, ObjectType::Untyped, b.bits - 1u, mu::kSelfCNode, first,
                                   2) != 0) {
    g_blocks[lo].state = BlockState::Unused;
    if (first != 0) {
      g_used[first] = g_used[first + 1] = false;
      g_in_use -= 2;
    }
    return -1;
  }
  g_blocks[lo] = Block{BlockState::Free, static_cast<uint8_t>(b.bits - 1), static_cast<int16_t>(index), first};
  g_blocks[hi] = Block{BlockState::Free, static_cast<uint8_t>(b.bits - 1), static_cast<int16_t>(index), first + 1};
  b.state = BlockState::Split;
  return lo;
}

int find_sibling(int index) {
  for (size_t i = 0; i < kMaxBlocks; ++i) {
    if (static_cast<int>(i) != index && g_blocks[i].state != BlockState::Unused &&
        g_blocks[i].parent == g_blocks[index].parent) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

}  // namespace

void slots_init(uint64_t first_free) {
  g_first_free = first_free;
  g_in_use = 0;
}

uint64_t slots_alloc(uint64_t count) {
  if (count == 0) return 0;
  uint64_t run = 0;
  for (uint64_t slot = g_first_free; slot < kSlotCount; ++slot) {
    run = g_used[slot] ? 0 : run + 1;
    if (run == count) {
      const uint64_t first = slot + 1 - count;
      for (uint64_t i = first; i <= slot; ++i) g_used[i] = true;
      g_in_use += count;
      return first;
    }
  }
  return 0;
}

uint64_t slot_alloc() { return slots_alloc(1); }

void slot_free(uint64_t slot) {
  if (slot < g_first_free || slot >= kSlotCount || !g_used[slot]) return;
  (void)cap_delete(mu::kSelfCNode, slot);
  g_used[slot] = false;
  --g_in_use;
}

uint64_t slots_in_use() { return g_in_use; }

bool pool_init(const mu::InitBootCaps& caps) {
  for (uint64_t i = 0; i < caps.untyped.count && i < mu::kMaxBootUntyped; ++i) {
    const uint64_t slot = caps.untyped.first + i;
    CapInfo c{};
    if (cap_identify(slot, &c) < 0 || c.type != ObjectType::Untyped || c.word0 != 0) continue;
    const int b = new_block();
    if (b < 0) break;
    g_blocks[b] = Block{BlockState::Free, c.size_bits, -1, slot};
    g_total_bytes += uint64_t{1} << c.size_bits;
  }
  g_own_arena = pool_alloc(kOwnArenaBits);
  return g_own_arena != 0;
}

uint64_t pool_alloc(unsigned bits) {
  if (bits < 12 || bits > 46) return 0;
  // The smallest free block that is large enough, split down to the size asked for.
  int best = -1;
  for (size_t i = 0; i < kMaxBlocks; ++i) {
    const Block& b = g_blocks[i];
    if (b.state != BlockState::Free || b.bits < bits) continue;
    if (best < 0 || b.bits < g_blocks[best].bits) best = static_cast<int>(i);
  }
  if (best < 0) return 0;
  while (g_blocks[best].bits > bits) {
    const int half = split(best);
    if (half < 0) return 0;
    best = half;
  }
  g_blocks[best].state = BlockState::Used;
  return g_blocks[best].slot;
}

void pool_free(uint64_t slot) {
  int index = -1;
  for (size_t i = 0; i < kMaxBlocks; ++i) {
    if (g_blocks[i].state == BlockState::Used && g_blocks[i].slot == slot) index = static_cast<int>(i);
  }
  if (index < 0) return;
  (void)cap_revoke(mu::kSelfCNode, slot);
  g_blocks[index].state = BlockState::Free;
  // Merge: when both halves are free, deleting them resets the parent's watermark to 0.
  while (g_blocks[index].parent >= 0) {
    const int sibling = find_sibling(index);
    if (sibling < 0 || g_blocks[sibling].state != BlockState::Free) break;
    const int parent = g_blocks[index].parent;
    slot_free(g_blocks[index].slot);
    slot_free(g_blocks[sibling].slot);
    g_blocks[index].state = g_blocks[sibling].state = BlockState::Unused;
    g_blocks[parent].state = BlockState::Free;
    index = parent;
  }
}

uint64_t pool_total_bytes() { return g_total_bytes; }

uint64_t pool_free_bytes() {
  uint64_t sum = 0;
  for (const Block& b : g_blocks) {
    if (b.state == BlockState::Free) sum += uint64_t{1} << b.bits;
  }
  return sum;
}

uint64_t pool_largest_free_bytes() {
  uint64_t largest = 0;
  for (const Block& b : g_blocks) {
    if (b.state == BlockState::Free && (uint64_t{1} << b.bits) > largest) largest = uint64_t{1} << b.bits;
  }
  return largest;
}

uint64_t own_object(ObjectType type, unsigned user_bits) {
  const uint64_t slot = slot_alloc();
  if (slot == 0) return 0;
  if (untyped_retype(g_own_arena, type, user_bits, mu::kSelfCNode, slot, 1) != 0) {
    slot_free(slot);
    return 0;
  }
  return slot;
}

uint64_t own_bytes() { return uint64_t{1} << kOwnArenaBits; }

void own_release() {
  if (g_own_arena != 0) (void)cap_revoke(mu::kSelfCNode, g_own_arena);
}

int64_t map_with_tables(uint64_t frame, uint64_t vspace, uint64_t vaddr, uint64_t flags,
                        uint64_t untyped, TableStash stash, void* context) {
  int64_t r = frame_map(frame, vspace, vaddr, flags);
  if (r != mu::status_value(mu::Status::MissingPageTable)) return r;
  // Bottom up: a table is made only when the level below reported it missing, so none is wasted.
  const ObjectType levels[] = {ObjectType::PageTable, ObjectType::PageDirectory, ObjectType::Pdpt};
  uint64_t made[3] = {};
  unsigned count = 0;
  for (; count < 3; ++count) {
    made[count] = slot_alloc();
    if (made[count] == 0) {
      r = mu::status_value(mu::Status::NoMemory);
      break;
    }
    r = untyped_retype(untyped, levels[count], 0, mu::kSelfCNode, made[count], 1);
    if (r != 0) {
      slot_free(made[count]);
      break;
    }
    r = page_table_map(made[count], vspace, vaddr);
    if (r != mu::status_value(mu::Status::MissingPageTable)) {
      ++count;
      break;
    }
  }
  // Map the ones still waiting, top down (the highest made one is mapped already, or failed).
  for (unsigned i = count; r == 0 && i-- > 1;) r = page_table_map(made[i - 1], vspace, vaddr);
  for (unsigned i = 0; i < count; ++i) {
    if (stash != nullptr) stash(made[i], context);
  }
  if (r != 0) return r;
  return frame_map(frame, vspace, vaddr, flags);
}

void* scratch_map(uint64_t frame, unsigned index) {
  const uint64_t addr = kScratchBase + index * kPage;
  // init's own tables for the window stay for good (stash == nullptr keeps them in their slots).
  const int64_t r =
      map_with_tables(frame, mu::kInitSlotVSpace, addr, mu::kMapWrite, g_own_arena, nullptr, nullptr);
  if (r != 0) {
    print("init: scratch mapping failed: %s\n", mu::status_string(static_cast<mu::Status>(r)));
    return nullptr;
  }
  return reinterpret_cast<void*>(addr);
}

void scratch_unmap(uint64_t frame) { (void)frame_unmap(frame); }

}  // namespace init
