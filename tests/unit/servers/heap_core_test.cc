// The heap's allocator logic (servers/lib/heap_core.cc) against a model: random allocate/free
// sequences over a buffer that grows by pages as the runtime's heap does.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <vector>

#include "heap_core.h"

using mu::user::HeapCore;

namespace {

constexpr size_t kPage = 4096;

// A page-aligned buffer the heap can grow into, up to `pages` pages.
class Arena {
 public:
  explicit Arena(size_t pages)
      : bytes_(pages * kPage), memory_(static_cast<char*>(aligned_alloc(kPage, bytes_))) {
    heap.init(reinterpret_cast<uintptr_t>(memory_));
  }
  ~Arena() { free(memory_); }
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  bool grow_page() {
    if (heap.end() + kPage > reinterpret_cast<uintptr_t>(memory_) + bytes_) return false;
    heap.extend(kPage);
    return true;
  }
  size_t mapped() const { return heap.end() - heap.base(); }

  HeapCore heap;

 private:
  size_t bytes_;
  char* memory_;
};

struct Live {
  size_t size;
  uint8_t fill;
};

TEST(HeapCore, EmptyHeapHasNothing) {
  Arena a(1);
  EXPECT_EQ(a.heap.allocate(1), nullptr);
  EXPECT_EQ(a.heap.free_block_count(), 0u);
  EXPECT_FALSE(a.heap.release(nullptr));
}

TEST(HeapCore, SplitsAndMergesBack) {
  Arena a(1);
  ASSERT_TRUE(a.grow_page());
  void* x = a.heap.allocate(100);
  void* y = a.heap.allocate(200);
  void* z = a.heap.allocate(300);
  ASSERT_NE(x, nullptr);
  ASSERT_NE(y, nullptr);
  ASSERT_NE(z, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(x) % 16, 0u);
  EXPECT_EQ(a.heap.used_bytes() + a.heap.free_bytes(), kPage);
  EXPECT_TRUE(a.heap.release(y));
  EXPECT_EQ(a.heap.free_block_count(), 2u);  // the hole and the tail
  EXPECT_TRUE(a.heap.release(x));            // merges with the hole after it
  EXPECT_EQ(a.heap.free_block_count(), 2u);
  EXPECT_TRUE(a.heap.release(z));  // merges with both neighbours
  EXPECT_EQ(a.heap.free_block_count(), 1u);
  EXPECT_EQ(a.heap.free_bytes(), kPage);
  EXPECT_EQ(a.heap.used_bytes(), 0u);
}

TEST(HeapCore, RefusesDoubleAndStrayFrees) {
  Arena a(1);
  ASSERT_TRUE(a.grow_page());
  auto* x = static_cast<char*>(a.heap.allocate(64));
  ASSERT_NE(x, nullptr);
  EXPECT_FALSE(a.heap.release(x + 16));  // inside the block
  EXPECT_FALSE(a.heap.release(x + 1));   // misaligned
  int on_stack = 0;
  EXPECT_FALSE(a.heap.release(&on_stack));
  EXPECT_TRUE(a.heap.release(x));
  EXPECT_FALSE(a.heap.release(x));  // double free
  EXPECT_EQ(a.heap.free_block_count(), 1u);
  EXPECT_EQ(a.heap.free_bytes(), kPage);
}

TEST(HeapCore, ExtendMergesWithFreeTail) {
  Arena a(4);
  ASSERT_TRUE(a.grow_page());
  EXPECT_EQ(a.heap.tail_free_bytes(), kPage);
  EXPECT_EQ(a.heap.allocate(2 * kPage), nullptr);
  ASSERT_TRUE(a.grow_page());
  ASSERT_TRUE(a.grow_page());
  EXPECT_EQ(a.heap.free_block_count(), 1u);
  void* big = a.heap.allocate(2 * kPage);
  ASSERT_NE(big, nullptr);
  EXPECT_EQ(a.heap.tail_free_bytes(), 3 * kPage - HeapCore::block_size_for(2 * kPage));
}

TEST(HeapCore, TailFreeBytesIsZeroWhenTheEndIsUsed) {
  Arena a(1);
  ASSERT_TRUE(a.grow_page());
  void* all = a.heap.allocate(kPage - HeapCore::kHeaderBytes);
  ASSERT_NE(all, nullptr);
  EXPECT_EQ(a.heap.tail_free_bytes(), 0u);
  EXPECT_EQ(a.heap.allocate(1), nullptr);  // out of memory is nullptr
}

TEST(HeapCore, HugeRequestsFailCleanly) {
  Arena a(1);
  ASSERT_TRUE(a.grow_page());
  EXPECT_EQ(HeapCore::block_size_for(SIZE_MAX), 0u);
  EXPECT_EQ(a.heap.allocate(SIZE_MAX), nullptr);
  EXPECT_EQ(a.heap.allocate(SIZE_MAX - 8), nullptr);
  EXPECT_EQ(a.heap.allocate_aligned(16, 3), nullptr);  // not a power of two
  EXPECT_EQ(a.heap.allocate_aligned(SIZE_MAX / 2, 64), nullptr);
}

TEST(HeapCore, AlignedAllocations) {
  Arena a(16);
  for (int i = 0; i < 16; ++i) ASSERT_TRUE(a.grow_page());
  std::vector<void*> ptrs;
  for (size_t align : {32u, 64u, 256u, 4096u}) {
    void* p = a.heap.allocate_aligned(100, align);
    ASSERT_NE(p, nullptr) << align;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % align, 0u) << align;
    memset(p, 0xCD, 100);
    ptrs.push_back(p);
  }
  for (void* p : ptrs) EXPECT_TRUE(a.heap.release(p));
  EXPECT_FALSE(a.heap.release(ptrs[0]));
  EXPECT_EQ(a.heap.free_block_count(), 1u);
  EXPECT_EQ(a.heap.used_bytes(), 0u);
}

// Random allocations and frees, growing the heap page by page when a request does not fit (as
// the runtime does) until the arena is full. Checks alignment, that live blocks never overlap
// and keep their contents, the byte accounting, and that freeing everything leaves one block.
void random_run(uint32_t seed) {
  Arena a(64);
  std::mt19937 rng(seed);
  std::map<uintptr_t, Live> live;  // by address
  size_t ooms = 0;
  for (int step = 0; step < 4000; ++step) {
    const bool do_alloc = live.empty() || rng() % 100 < 60;
    if (do_alloc) {
      const size_t kind = rng() % 10;
      const size_t size = kind < 6 ? rng() % 64 : kind < 9 ? rng() % 2000 : rng() % 20000;
      const size_t align = rng() % 8 == 0 ? size_t{1} << (5 + rng() % 5) : 16;
      void* p = a.heap.allocate_aligned(size, align);
      while (p == nullptr && a.grow_page()) p = a.heap.allocate_aligned(size, align);
      if (p == nullptr) {
        ++ooms;
        continue;
      }
      const auto addr = reinterpret_cast<uintptr_t>(p);
      ASSERT_EQ(addr % align, 0u);
      ASSERT_GE(addr, a.heap.base());
      ASSERT_LE(addr + size, a.heap.end());
      auto next = live.lower_bound(addr);
      if (next != live.end()) {
        ASSERT_LE(addr + size, next->first) << "overlaps the next block";
      }
      if (next != live.begin()) {
        auto prev = std::prev(next);
        ASSERT_LE(prev->first + prev->second.size, addr) << "overlaps the previous block";
      }
      const auto fill = static_cast<uint8_t>(rng());
      memset(p, fill, size);
      live[addr] = Live{size, fill};
    } else {
      auto it = live.begin();
      std::advance(it, rng() % live.size());
      const auto* bytes = reinterpret_cast<const uint8_t*>(it->first);
      for (size_t i = 0; i < it->second.size; ++i) ASSERT_EQ(bytes[i], it->second.fill);
      ASSERT_TRUE(a.heap.release(reinterpret_cast<void*>(it->first)));
      live.erase(it);
    }
    ASSERT_EQ(a.heap.used_bytes() + a.heap.free_bytes(), a.mapped());
  }
  EXPECT_GT(ooms, 0u) << "the run should have filled the arena at least once";
  for (const auto& [addr, block] : live) ASSERT_TRUE(a.heap.release(reinterpret_cast<void*>(addr)));
  EXPECT_EQ(a.heap.free_block_count(), 1u);
  EXPECT_EQ(a.heap.free_bytes(), a.mapped());
  EXPECT_EQ(a.heap.used_bytes(), 0u);
  // One block again: the whole arena is available to a single request.
  EXPECT_NE(a.heap.allocate(a.mapped() - HeapCore::kHeaderBytes), nullptr);
}

TEST(HeapCore, RandomSequencesAgainstModel) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE(seed);
    random_run(seed);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
