// Bitmap allocator for 4 KiB physical frames over the usable regions of the boot memory map.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace kernel::mm {

// Outcome of returning frames. The kernel turns anything but Ok into an assertion: a bad free
// means some owner lost track of its memory, and continuing would corrupt the allocator.
enum class FrameStatus : uint32_t {
  Ok = 0,
  DoubleFree,  // the frame is managed but already free
  NotManaged,  // the frame was never handed to the allocator as usable (or was withdrawn)
  Misaligned,  // the address is not 4 KiB aligned
};

// Two bitmaps over frames [0, frame_count): `used` (1 = not available: allocated or not managed)
// and `managed` (1 = handed in by add_free_range). Invariant: managed == 0 implies used == 1, so
// the allocation scan only needs the used bitmap, and free() can tell a foreign frame from a
// double free.
//
// Frame 0 is never managed: physical page 0 holds firmware structures on PCs and keeping it out
// lets 0 mean "no frame" (the same convention as PageTableMemory::alloc_table).
//
// Boot sequence: storage_words(highest usable end) -> find that many words inside a usable region
// -> init() -> add_free_range() for every usable region -> reserve_range() over the bitmap storage,
// the kernel image and anything else still in use. Boot-reclaimable regions are left out and
// handed in with add_free_range() once the kernel no longer needs them.
//
// Locking: none inside. The caller serialises all calls (the big kernel lock for now).
// Freestanding: no heap, no exceptions, no library calls.
class FrameAllocator {
 public:
  static constexpr uint64_t kFrameSize = 4096;
  static constexpr unsigned kFrameShift = 12;
  // Returned by alloc() and alloc_contiguous() when no frame can be given.
  static constexpr uint64_t kNoFrame = 0;

  // Words of storage init() needs for frames below `phys_end` (both bitmaps together). A
  // partial frame at the end cannot be usable once ranges are rounded inward, so it is not counted.
  [[nodiscard]] static constexpr size_t storage_words(uint64_t phys_end) {
    return 2 * bitmap_words(phys_end >> kFrameShift);
  }

  // Takes `words` u64 of caller-owned storage covering frames below `phys_end` and marks every
  // frame used and unmanaged. Returns false (and leaves the allocator empty) if storage is null
  // or smaller than storage_words(phys_end). The storage must outlive the allocator.
  [[nodiscard]] bool init(uint64_t* storage, size_t words, uint64_t phys_end);

  // Makes the whole frames inside [base, base + len) free and managed (rounded inward). Frames
  // beyond phys_end, frame 0 and frames already managed are left untouched, so overlapping or
  // repeated calls never free an allocated frame. Returns the number of frames added.
  size_t add_free_range(uint64_t base, uint64_t len);

  // Withdraws every frame touched by [base, base + len) (rounded outward): it becomes used and
  // unmanaged, so nothing can allocate it and free() of it reports NotManaged. A later
  // add_free_range() over it returns it. Withdrawing an allocated frame is allowed (the caller
  // takes ownership of it for good). Returns the number of frames that were free before.
  size_t reserve_range(uint64_t base, uint64_t len);

  // One free frame's physical address, or kNoFrame when none is left. Next-fit from a rotating
  // hint: O(1) amortised, since words found full are not scanned again until the scan wraps.
  [[nodiscard]] uint64_t alloc();

  // `count` physically contiguous frames whose first frame number is a multiple of
  // `align_frames` (a power of two; 512 gives a 2 MiB aligned block). Returns the base or
  // kNoFrame if count is 0, align_frames is not a power of two, or no such run is free.
  // First-fit over the whole bitmap: O(frames), meant for rare DMA and large-page requests.
  [[nodiscard]] uint64_t alloc_contiguous(size_t count, size_t align_frames);

  // Returns one frame obtained from alloc()/alloc_contiguous(). On any status but Ok nothing
  // changes.
  [[nodiscard]] FrameStatus free(uint64_t phys);

  // Returns `count` frames starting at `phys`. Checks all of them first and changes nothing unless
  // every one is an allocated managed frame, so a bad call leaves no half-done state.
  [[nodiscard]] FrameStatus free_contiguous(uint64_t phys, size_t count);

  // True if `phys` lies in a managed frame that is currently free (diagnostics and tests).
  [[nodiscard]] bool is_free(uint64_t phys) const;
  // True if `phys` lies in a frame handed in as usable and not withdrawn.
  [[nodiscard]] bool is_managed(uint64_t phys) const;

  // Word-at-a-time scans for handing large amounts of memory over (the root task's untyped):
  // the first free frame at or after `from` (frame_capacity() when there is none), and the length
  // of the run of free frames starting at `from`, at most `limit`.
  [[nodiscard]] size_t next_free_frame(size_t from) const;
  [[nodiscard]] size_t free_run_length(size_t from, size_t limit) const;

  [[nodiscard]] size_t free_frames() const { return free_count_; }
  [[nodiscard]] size_t total_frames() const { return managed_count_; }
  // Number of frame slots the bitmaps cover (phys_end / 4 KiB).
  [[nodiscard]] size_t frame_capacity() const { return frame_count_; }

 private:
  static constexpr size_t bitmap_words(size_t frames) { return (frames + 63) / 64; }

  bool frame_used(size_t frame) const { return (used_[frame / 64] >> (frame % 64)) & 1; }
  bool frame_managed(size_t frame) const { return (managed_[frame / 64] >> (frame % 64)) & 1; }
  // First used frame in [first, first + count), or first + count if all are free.
  size_t first_used_in(size_t first, size_t count) const;
  // Marks [first, first + count) used; every frame in it must be free.
  void take_run(size_t first, size_t count);

  uint64_t* used_ = nullptr;
  uint64_t* managed_ = nullptr;
  size_t words_ = 0;        // words per bitmap
  size_t frame_count_ = 0;  // frames covered
  size_t free_count_ = 0;
  size_t managed_count_ = 0;
  size_t hint_word_ = 0;  // where the next alloc() scan starts
};

}  // namespace kernel::mm
