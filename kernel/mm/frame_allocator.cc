// Bitmap allocator for 4 KiB physical frames: word-at-a-time scans and range updates.
#include "mm/frame_allocator.h"

namespace kernel::mm {
namespace {

constexpr uint64_t kAllOnes = ~uint64_t{0};

// Own popcount: __builtin_popcountll becomes a libgcc call without -mpopcnt, and the kernel
// does not link libgcc.
unsigned popcount64(uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return static_cast<unsigned>((x * 0x0101010101010101ULL) >> 56);
}

// Bits [lo, hi) of a word, 0 <= lo < hi <= 64.
uint64_t bit_mask(unsigned lo, unsigned hi) {
  uint64_t upto_hi = hi == 64 ? kAllOnes : (uint64_t{1} << hi) - 1;
  return upto_hi & ~((uint64_t{1} << lo) - 1);
}

// Calls fn(word_index, mask) for each word overlapping frames [first, end), first < end.
template <typename Fn>
void for_each_word(size_t first, size_t end, Fn fn) {
  while (first < end) {
    size_t word = first / 64;
    unsigned lo = static_cast<unsigned>(first % 64);
    size_t word_end = (word + 1) * 64;
    unsigned hi = end < word_end ? static_cast<unsigned>(end % 64) : 64;
    fn(word, bit_mask(lo, hi));
    first = word_end;
  }
}

// base + len without wrapping past the top of the address space.
uint64_t saturating_end(uint64_t base, uint64_t len) {
  return len > kAllOnes - base ? kAllOnes : base + len;
}

}  // namespace

bool FrameAllocator::init(uint64_t* storage, size_t words, uint64_t phys_end) {
  *this = FrameAllocator{};
  size_t frames = phys_end >> kFrameShift;
  size_t per_bitmap = bitmap_words(frames);
  if (storage == nullptr || words < 2 * per_bitmap) return false;

  used_ = storage;
  managed_ = storage + per_bitmap;
  words_ = per_bitmap;
  frame_count_ = frames;
  // Everything starts used and unmanaged; the padding bits past frame_count_ in the last word stay
  // that way forever, so the scan in alloc() needs no bounds check.
  for (size_t i = 0; i < per_bitmap; ++i) {
    used_[i] = kAllOnes;
    managed_[i] = 0;
  }
  return true;
}

size_t FrameAllocator::add_free_range(uint64_t base, uint64_t len) {
  uint64_t end_addr = saturating_end(base, len);
  // Inward: a frame only partly usable is not usable.
  uint64_t first = (base >> kFrameShift) + ((base & (kFrameSize - 1)) != 0 ? 1 : 0);
  uint64_t end = end_addr >> kFrameShift;
  if (first == 0) first = 1;  // frame 0 is never managed (see header)
  if (end > frame_count_) end = frame_count_;
  if (first >= end) return 0;

  size_t added = 0;
  for_each_word(first, end, [&](size_t w, uint64_t mask) {
    uint64_t fresh = mask & ~managed_[w];  // already-managed frames keep their state
    managed_[w] |= fresh;
    used_[w] &= ~fresh;
    added += popcount64(fresh);
  });
  free_count_ += added;
  managed_count_ += added;
  return added;
}

size_t FrameAllocator::reserve_range(uint64_t base, uint64_t len) {
  if (len == 0) return 0;
  uint64_t end_addr = saturating_end(base, len);
  // Outward: a frame only partly reserved is still in use by whoever reserved it.
  uint64_t first = base >> kFrameShift;
  uint64_t end = (end_addr >> kFrameShift) + ((end_addr & (kFrameSize - 1)) != 0 ? 1 : 0);
  if (end > frame_count_) end = frame_count_;
  if (first >= end) return 0;

  size_t was_free = 0;
  size_t withdrawn = 0;
  for_each_word(first, end, [&](size_t w, uint64_t mask) {
    was_free += popcount64(mask & ~used_[w]);
    withdrawn += popcount64(mask & managed_[w]);
    used_[w] |= mask;
    managed_[w] &= ~mask;
  });
  free_count_ -= was_free;
  managed_count_ -= withdrawn;
  return was_free;
}

uint64_t FrameAllocator::alloc() {
  if (free_count_ == 0) return kNoFrame;
  size_t w = hint_word_;
  for (size_t n = 0; n < words_; ++n) {
    uint64_t word = used_[w];
    if (~word != 0) {
      unsigned bit = static_cast<unsigned>(__builtin_ctzll(~word));
      used_[w] = word | (uint64_t{1} << bit);
      --free_count_;
      hint_word_ = w;  // this word may still have free bits; stay on it
      return static_cast<uint64_t>(w * 64 + bit) << kFrameShift;
    }
    if (++w == words_) w = 0;
  }
  return kNoFrame;  // only reachable if free_count_ were wrong
}

size_t FrameAllocator::first_used_in(size_t first, size_t count) const {
  size_t end = first + count;
  size_t found = end;
  for_each_word(first, end, [&](size_t w, uint64_t mask) {
    uint64_t hit = used_[w] & mask;
    if (found == end && hit != 0) found = w * 64 + static_cast<size_t>(__builtin_ctzll(hit));
  });
  return found;
}

size_t FrameAllocator::next_free_frame(size_t from) const {
  for (size_t w = from / 64; w < words_; ++w) {
    uint64_t free_bits = ~used_[w];
    if (w == from / 64) free_bits &= ~uint64_t{0} << (from % 64);
    if (free_bits != 0) {
      const size_t frame = w * 64 + static_cast<size_t>(__builtin_ctzll(free_bits));
      return frame < frame_count_ ? frame : frame_count_;
    }
  }
  return frame_count_;
}

size_t FrameAllocator::free_run_length(size_t from, size_t limit) const {
  if (from >= frame_count_) return 0;
  const size_t count = limit < frame_count_ - from ? limit : frame_count_ - from;
  return first_used_in(from, count) - from;
}

void FrameAllocator::take_run(size_t first, size_t count) {
  for_each_word(first, first + count, [&](size_t w, uint64_t mask) { used_[w] |= mask; });
  free_count_ -= count;
}

uint64_t FrameAllocator::alloc_contiguous(size_t count, size_t align_frames) {
  if (count == 0 || align_frames == 0 || (align_frames & (align_frames - 1)) != 0) return kNoFrame;
  if (count > free_count_ || count > frame_count_) return kNoFrame;

  size_t start = 0;
  while (start <= frame_count_ - count) {
    size_t used = first_used_in(start, count);
    if (used == start + count) {
      take_run(start, count);
      return static_cast<uint64_t>(start) << kFrameShift;
    }
    // No aligned run can include `used`; jump to the first aligned start above it. Cannot wrap:
    // used < 2^52 and align_frames <= 2^63.
    start = (used / align_frames + 1) * align_frames;
  }
  return kNoFrame;
}

FrameStatus FrameAllocator::free(uint64_t phys) {
  if ((phys & (kFrameSize - 1)) != 0) return FrameStatus::Misaligned;
  uint64_t frame = phys >> kFrameShift;
  if (frame >= frame_count_ || !frame_managed(frame)) return FrameStatus::NotManaged;
  if (!frame_used(frame)) return FrameStatus::DoubleFree;
  used_[frame / 64] &= ~(uint64_t{1} << (frame % 64));
  ++free_count_;
  return FrameStatus::Ok;
}

FrameStatus FrameAllocator::free_contiguous(uint64_t phys, size_t count) {
  if ((phys & (kFrameSize - 1)) != 0) return FrameStatus::Misaligned;
  if (count == 0) return FrameStatus::Ok;
  uint64_t first = phys >> kFrameShift;
  if (first >= frame_count_ || count > frame_count_ - first) return FrameStatus::NotManaged;

  // Validate every frame before touching any.
  bool all_managed = true;
  bool all_used = true;
  for_each_word(first, first + count, [&](size_t w, uint64_t mask) {
    all_managed = all_managed && (managed_[w] & mask) == mask;
    all_used = all_used && (used_[w] & mask) == mask;
  });
  if (!all_managed) return FrameStatus::NotManaged;
  if (!all_used) return FrameStatus::DoubleFree;

  for_each_word(first, first + count, [&](size_t w, uint64_t mask) { used_[w] &= ~mask; });
  free_count_ += count;
  return FrameStatus::Ok;
}

bool FrameAllocator::is_free(uint64_t phys) const {
  uint64_t frame = phys >> kFrameShift;
  return frame < frame_count_ && !frame_used(frame);
}

bool FrameAllocator::is_managed(uint64_t phys) const {
  uint64_t frame = phys >> kFrameShift;
  return frame < frame_count_ && frame_managed(frame);
}

}  // namespace kernel::mm
