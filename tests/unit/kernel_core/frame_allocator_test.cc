// Tests for the bitmap physical-frame allocator against simple reference models.
#include "mm/frame_allocator.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <set>
#include <vector>

namespace kernel::mm {
namespace {

constexpr uint64_t kPage = FrameAllocator::kFrameSize;

struct Range {
  uint64_t base;
  uint64_t len;
};

// Owns the storage an allocator needs, as the kernel would carve it from usable memory.
class Harness {
 public:
  explicit Harness(uint64_t phys_end)
      : storage_(FrameAllocator::storage_words(phys_end), 0xA5A5A5A5A5A5A5A5ULL) {
    EXPECT_TRUE(alloc_.init(storage_.data(), storage_.size(), phys_end));
  }
  FrameAllocator& operator*() { return alloc_; }
  FrameAllocator* operator->() { return &alloc_; }

 private:
  std::vector<uint64_t> storage_;
  FrameAllocator alloc_;
};

// Frames the allocator should manage for `ranges` below `phys_end`: rounded inward, no frame 0.
std::set<uint64_t> expected_frames(const std::vector<Range>& ranges, uint64_t phys_end) {
  std::set<uint64_t> out;
  for (const Range& r : ranges) {
    uint64_t first = (r.base + kPage - 1) / kPage * kPage;
    uint64_t end = (r.base + r.len) / kPage * kPage;
    for (uint64_t p = first; p < end && p + kPage <= phys_end; p += kPage) {
      if (p != 0) out.insert(p);
    }
  }
  return out;
}

// A PC-like map: low memory including page 0, a gap, unaligned edges, a range past phys_end.
const std::vector<Range> kUsable = {
    {0x0, 0x9F000},        // includes frame 0, which must never be handed out
    {0x100000, 0x300000},  // 1 MiB .. 4 MiB
    {0x500800, 0x1FF800},  // unaligned both ends: frames 0x501000 .. 0x6FF000
    {0x7FF000, 0x10000},   // runs past phys_end = 0x800000: only one frame is in range
};
constexpr uint64_t kPhysEnd = 0x800000;

TEST(FrameAllocator, StorageWordsCoversBothBitmaps) {
  EXPECT_EQ(FrameAllocator::storage_words(0), 0u);
  EXPECT_EQ(FrameAllocator::storage_words(64 * kPage), 2u);
  EXPECT_EQ(FrameAllocator::storage_words(65 * kPage), 4u);
  EXPECT_EQ(FrameAllocator::storage_words(65 * kPage - 1), 2u);  // partial last frame not counted
}

TEST(FrameAllocator, InitRejectsMissingOrSmallStorage) {
  FrameAllocator a;
  std::vector<uint64_t> small(FrameAllocator::storage_words(kPhysEnd) - 1);
  EXPECT_FALSE(a.init(nullptr, 100, kPhysEnd));
  EXPECT_FALSE(a.init(small.data(), small.size(), kPhysEnd));
  EXPECT_EQ(a.alloc(), FrameAllocator::kNoFrame);
}

TEST(FrameAllocator, FreshAllocatorHasNothingToGive) {
  Harness h(kPhysEnd);
  EXPECT_EQ(h->free_frames(), 0u);
  EXPECT_EQ(h->total_frames(), 0u);
  EXPECT_EQ(h->alloc(), FrameAllocator::kNoFrame);
}

TEST(FrameAllocator, EveryUsableFrameExactlyOnceAndNothingElse) {
  Harness h(kPhysEnd);
  size_t added = 0;
  for (const Range& r : kUsable) added += h->add_free_range(r.base, r.len);
  std::set<uint64_t> expected = expected_frames(kUsable, kPhysEnd);
  ASSERT_EQ(added, expected.size());
  EXPECT_EQ(h->total_frames(), expected.size());
  EXPECT_EQ(h->free_frames(), expected.size());

  std::set<uint64_t> got;
  for (;;) {
    uint64_t p = h->alloc();
    if (p == FrameAllocator::kNoFrame) break;
    EXPECT_EQ(p % kPage, 0u);
    EXPECT_TRUE(expected.count(p)) << std::hex << p;
    EXPECT_TRUE(got.insert(p).second) << "handed out twice: " << std::hex << p;
    ASSERT_LE(got.size(), expected.size());
  }
  EXPECT_EQ(got, expected);
  EXPECT_EQ(h->free_frames(), 0u);
  EXPECT_EQ(h->alloc(), FrameAllocator::kNoFrame);  // stays exhausted
  EXPECT_EQ(h->alloc_contiguous(1, 1), FrameAllocator::kNoFrame);
}

TEST(FrameAllocator, FreeThenReallocate) {
  Harness h(kPhysEnd);
  h->add_free_range(0x100000, 0x10000);  // 16 frames
  std::vector<uint64_t> frames;
  for (int i = 0; i < 16; ++i) frames.push_back(h->alloc());
  ASSERT_EQ(h->alloc(), FrameAllocator::kNoFrame);
  EXPECT_FALSE(h->is_free(frames[7]));
  EXPECT_EQ(h->free(frames[7]), FrameStatus::Ok);
  EXPECT_TRUE(h->is_free(frames[7]));
  EXPECT_EQ(h->free_frames(), 1u);
  EXPECT_EQ(h->alloc(), frames[7]);
  EXPECT_EQ(h->free_frames(), 0u);
}

TEST(FrameAllocator, BadFreesAreReportedAndChangeNothing) {
  Harness h(kPhysEnd);
  h->add_free_range(0x100000, 0x4000);
  uint64_t p = h->alloc();
  ASSERT_NE(p, FrameAllocator::kNoFrame);
  ASSERT_EQ(h->free(p), FrameStatus::Ok);
  size_t free_before = h->free_frames();

  EXPECT_EQ(h->free(p), FrameStatus::DoubleFree);
  EXPECT_EQ(h->free(0x200000), FrameStatus::NotManaged);  // never usable
  EXPECT_EQ(h->free(0), FrameStatus::NotManaged);         // frame 0 is never managed
  EXPECT_EQ(h->free(kPhysEnd), FrameStatus::NotManaged);  // beyond the bitmap
  EXPECT_EQ(h->free(~uint64_t{0} & ~(kPage - 1)), FrameStatus::NotManaged);
  EXPECT_EQ(h->free(p + 8), FrameStatus::Misaligned);
  EXPECT_EQ(h->free_frames(), free_before);
  EXPECT_EQ(h->total_frames(), 4u);
}

TEST(FrameAllocator, FrameZeroNeverHandedOut) {
  Harness h(64 * kPage);
  EXPECT_EQ(h->add_free_range(0, 2 * kPage), 1u);
  EXPECT_EQ(h->alloc(), kPage);
  EXPECT_EQ(h->alloc(), FrameAllocator::kNoFrame);
  EXPECT_FALSE(h->is_managed(0));
}

TEST(FrameAllocator, AddingOverlappingRangeNeverFreesAllocatedFrames) {
  Harness h(kPhysEnd);
  EXPECT_EQ(h->add_free_range(0x100000, 0x2000), 2u);
  uint64_t a = h->alloc();
  uint64_t b = h->alloc();
  EXPECT_EQ(h->add_free_range(0x100000, 0x4000), 2u);  // only the two new frames count
  EXPECT_EQ(h->free_frames(), 2u);
  EXPECT_FALSE(h->is_free(a));
  EXPECT_FALSE(h->is_free(b));
  EXPECT_EQ(h->add_free_range(0x100800, 0x1000), 0u);  // no whole frame inside
}

TEST(FrameAllocator, ReserveWithdrawsAndAddReturns) {
  Harness h(kPhysEnd);
  h->add_free_range(0x100000, 0x10000);  // 16 frames
  uint64_t taken = h->alloc();           // 0x100000 (first fit from the start)
  ASSERT_EQ(taken, 0x100000u);
  // Outward rounding: [0x100800, 0x103001) touches frames 0x100000 .. 0x103000.
  EXPECT_EQ(h->reserve_range(0x100800, 0x2801), 3u);  // three were free, one allocated
  EXPECT_EQ(h->total_frames(), 12u);
  EXPECT_EQ(h->free_frames(), 12u);
  EXPECT_EQ(h->free(taken), FrameStatus::NotManaged);  // withdrawn frames belong to the reserver
  EXPECT_EQ(h->free(0x102000), FrameStatus::NotManaged);
  for (int i = 0; i < 12; ++i) {
    uint64_t p = h->alloc();
    EXPECT_TRUE(p >= 0x104000 && p < 0x110000) << std::hex << p;
  }
  EXPECT_EQ(h->alloc(), FrameAllocator::kNoFrame);

  // Boot-reclaimable style hand-back.
  EXPECT_EQ(h->add_free_range(0x100000, 0x4000), 4u);
  EXPECT_EQ(h->free_frames(), 4u);
  EXPECT_EQ(h->reserve_range(0x100000, 0), 0u);  // empty range reserves nothing
  EXPECT_EQ(h->free_frames(), 4u);
}

TEST(FrameAllocator, WordBoundaryBits63And64) {
  Harness h(130 * kPage);  // 130 frames: three words, last one mostly padding
  EXPECT_EQ(h->add_free_range(62 * kPage, 4 * kPage), 4u);  // frames 62, 63, 64, 65
  std::set<uint64_t> got;
  for (int i = 0; i < 4; ++i) got.insert(h->alloc() / kPage);
  EXPECT_EQ(got, (std::set<uint64_t>{62, 63, 64, 65}));
  EXPECT_EQ(h->alloc(), FrameAllocator::kNoFrame);
  for (uint64_t f : got) ASSERT_EQ(h->free(f * kPage), FrameStatus::Ok);
  // A run crossing the word boundary is found as one block.
  EXPECT_EQ(h->alloc_contiguous(4, 1), 62 * kPage);
  EXPECT_EQ(h->free_contiguous(62 * kPage, 4), FrameStatus::Ok);
  EXPECT_EQ(h->alloc_contiguous(2, 2), 62 * kPage);
  EXPECT_EQ(h->alloc_contiguous(2, 2), 64 * kPage);
}

TEST(FrameAllocator, PaddingBitsPastLastFrameNeverAllocated) {
  Harness h(65 * kPage);  // frame 64 is the only frame of the second word
  EXPECT_EQ(h->add_free_range(0, 100 * kPage), 64u);  // frames 1..64
  std::set<uint64_t> got;
  for (uint64_t p; (p = h->alloc()) != FrameAllocator::kNoFrame;) got.insert(p / kPage);
  ASSERT_EQ(got.size(), 64u);
  EXPECT_EQ(*got.begin(), 1u);
  EXPECT_EQ(*got.rbegin(), 64u);
}

TEST(FrameAllocator, ContiguousAlignedBlocks) {
  Harness h(16 << 20);
  h->add_free_range(0x100000, (16 << 20) - 0x100000);
  uint64_t big = h->alloc_contiguous(512, 512);  // a 2 MiB page
  EXPECT_EQ(big, 2u << 20);
  EXPECT_EQ(big % (2 << 20), 0u);
  for (uint64_t p = big; p < big + (2 << 20); p += kPage) EXPECT_FALSE(h->is_free(p));
  EXPECT_TRUE(h->is_free(0x100000));  // the unaligned head was skipped, not taken

  // Fragment the next 2 MiB block so the allocator must skip to the one after it.
  EXPECT_EQ(h->alloc_contiguous(1, 512), 4u << 20);
  EXPECT_EQ(h->alloc_contiguous(512, 512), 6u << 20);

  EXPECT_EQ(h->alloc_contiguous(0, 1), FrameAllocator::kNoFrame);
  EXPECT_EQ(h->alloc_contiguous(1, 0), FrameAllocator::kNoFrame);
  EXPECT_EQ(h->alloc_contiguous(1, 3), FrameAllocator::kNoFrame);     // not a power of two
  EXPECT_EQ(h->alloc_contiguous(4096, 1), FrameAllocator::kNoFrame);  // more than exists
  // Only frame 0 (never managed) is that aligned.
  EXPECT_EQ(h->alloc_contiguous(1, size_t{1} << 40), FrameAllocator::kNoFrame);

  size_t free_before = h->free_frames();
  EXPECT_EQ(h->free_contiguous(big, 512), FrameStatus::Ok);
  EXPECT_EQ(h->free_frames(), free_before + 512);
  EXPECT_EQ(h->alloc_contiguous(512, 512), big);
}

TEST(FrameAllocator, FreeContiguousValidatesBeforeActing) {
  Harness h(kPhysEnd);
  h->add_free_range(0x100000, 0x10000);
  uint64_t run = h->alloc_contiguous(8, 8);
  ASSERT_EQ(run, 0x100000u);
  ASSERT_EQ(h->free(run + 3 * kPage), FrameStatus::Ok);
  size_t free_before = h->free_frames();
  EXPECT_EQ(h->free_contiguous(run, 8), FrameStatus::DoubleFree);  // frame 3 already free
  EXPECT_EQ(h->free_frames(), free_before);
  EXPECT_FALSE(h->is_free(run));                                        // nothing was released
  EXPECT_EQ(h->free_contiguous(0xF0000, 24), FrameStatus::NotManaged);  // starts below the range
  EXPECT_EQ(h->free_contiguous(run + 1, 1), FrameStatus::Misaligned);
  EXPECT_EQ(h->free_contiguous(kPhysEnd - kPage, 2), FrameStatus::NotManaged);
  EXPECT_EQ(h->free_contiguous(run, 0), FrameStatus::Ok);
  EXPECT_EQ(h->free_frames(), free_before);
}

TEST(FrameAllocator, RandomSequencesMatchReferenceModel) {
  Harness h(kPhysEnd);
  for (const Range& r : kUsable) h->add_free_range(r.base, r.len);
  const std::set<uint64_t> usable = expected_frames(kUsable, kPhysEnd);
  std::set<uint64_t> allocated;
  std::mt19937_64 rng(0x6D754F53);  // fixed seed: failures reproduce

  for (int step = 0; step < 20000; ++step) {
    unsigned op = rng() % 10;
    if (op < 5) {
      uint64_t p = h->alloc();
      if (allocated.size() == usable.size()) {
        ASSERT_EQ(p, FrameAllocator::kNoFrame);
      } else {
        ASSERT_TRUE(usable.count(p)) << std::hex << p;
        ASSERT_TRUE(allocated.insert(p).second) << "duplicate " << std::hex << p;
      }
    } else if (op < 6) {
      size_t count = 1 + rng() % 8;
      size_t align = size_t{1} << (rng() % 4);
      uint64_t p = h->alloc_contiguous(count, align);
      if (p != FrameAllocator::kNoFrame) {
        ASSERT_EQ((p / kPage) % align, 0u);
        for (size_t i = 0; i < count; ++i) {
          ASSERT_TRUE(usable.count(p + i * kPage));
          ASSERT_TRUE(allocated.insert(p + i * kPage).second);
        }
      }
    } else if (!allocated.empty()) {
      auto it = allocated.begin();
      std::advance(it, rng() % allocated.size());
      ASSERT_EQ(h->free(*it), FrameStatus::Ok);
      ASSERT_EQ(h->free(*it), FrameStatus::DoubleFree);
      allocated.erase(it);
    }
    ASSERT_EQ(h->free_frames(), usable.size() - allocated.size());
  }
  // Whatever the history, every frame the model says is free can still be obtained.
  size_t drained = 0;
  while (h->alloc() != FrameAllocator::kNoFrame) ++drained;
  EXPECT_EQ(drained + allocated.size(), usable.size());
}

}  // namespace
}  // namespace kernel::mm

namespace {

// The scans the root task uses to hand free memory over as untyped blocks.
TEST(FrameAllocatorScan, NextFreeFrameAndRunLengthFollowTheBitmap) {
  constexpr uint64_t kEnd = 300 * 4096;  // crosses several bitmap words
  std::vector<uint64_t> storage(kernel::mm::FrameAllocator::storage_words(kEnd));
  kernel::mm::FrameAllocator frames;
  ASSERT_TRUE(frames.init(storage.data(), storage.size(), kEnd));
  EXPECT_EQ(frames.next_free_frame(0), frames.frame_capacity()) << "nothing handed in yet";
  (void)frames.add_free_range(70 * 4096, 130 * 4096);  // frames 70..199
  (void)frames.add_free_range(250 * 4096, 10 * 4096);  // frames 250..259
  EXPECT_EQ(frames.next_free_frame(0), 70u);
  EXPECT_EQ(frames.next_free_frame(70), 70u);
  EXPECT_EQ(frames.next_free_frame(71), 71u);
  EXPECT_EQ(frames.next_free_frame(200), 250u);
  EXPECT_EQ(frames.next_free_frame(260), frames.frame_capacity());
  EXPECT_EQ(frames.free_run_length(70, 1000), 130u);
  EXPECT_EQ(frames.free_run_length(70, 5), 5u);
  EXPECT_EQ(frames.free_run_length(199, 1000), 1u);
  EXPECT_EQ(frames.free_run_length(200, 1000), 0u);
  EXPECT_EQ(frames.free_run_length(250, 1000), 10u) << "stops at the end of the managed range";
  EXPECT_EQ(frames.free_run_length(5000, 10), 0u) << "beyond the capacity";
  const uint64_t taken = frames.alloc();
  EXPECT_EQ(taken, 70u * 4096);
  EXPECT_EQ(frames.next_free_frame(70), 71u);
  EXPECT_EQ(frames.free_run_length(100, 1000), 100u);
}

}  // namespace
