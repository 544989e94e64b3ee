// The heap's allocator logic, without system calls: a first-fit free-list allocator over one
// contiguous region that grows at its end (the runtime maps pages there and calls extend).
// Free blocks are kept in address order and merged with both neighbours when freed, so freeing
// everything leaves one block. Built for the host too (tests/unit/servers/heap_core_test.cc).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace mu::user {

class HeapCore {
 public:
  static constexpr size_t kAlign = 16;        // every payload is 16-byte aligned
  static constexpr size_t kHeaderBytes = 16;  // size word + tag word before each payload
  static constexpr size_t kMinBlock = 32;     // header + the free list's next pointer, rounded

  // Starts an empty region at `base` (16-byte aligned).
  void init(uintptr_t base);
  // Adds [end(), end() + bytes) as free memory (bytes a multiple of kAlign; the caller made it
  // accessible). It merges with a free block at the old end.
  void extend(size_t bytes);

  // A 16-byte-aligned payload of at least `bytes` bytes, or nullptr when no free block fits.
  void* allocate(size_t bytes);
  // As allocate, aligned to `align` (a power of two, else nullptr); release() takes it as well.
  void* allocate_aligned(size_t bytes, size_t align);
  // Frees what allocate/allocate_aligned returned. Returns false (and changes nothing) for a
  // pointer that is not a live allocation of this heap: nullptr, a double free, a stray address.
  bool release(void* p);

  // The block size (with header) an allocation of `bytes` takes; 0 when it cannot be represented.
  static size_t block_size_for(size_t bytes);
  // Bytes of the free block that ends at end(), if any: what extend() would merge with.
  [[nodiscard]] size_t tail_free_bytes() const;

  [[nodiscard]] uintptr_t base() const { return base_; }
  [[nodiscard]] uintptr_t end() const { return end_; }
  [[nodiscard]] size_t used_bytes() const { return used_bytes_; }  // blocks handed out, headers incl.
  [[nodiscard]] size_t free_bytes() const { return free_bytes_; }
  [[nodiscard]] size_t free_block_count() const;

 private:
  struct Block {
    uint64_t size;  // whole block, header included; a multiple of kAlign
    uint64_t tag;   // kUsedTag, kFreeTag or (before an aligned payload) kAlignedTag
    Block* next;    // free blocks only: the next free block by address
  };

  Block* block_of(void* payload) const;
  void insert_free(Block* block);
  void* take(Block* block, Block* prev, size_t size);

  uintptr_t base_ = 0;
  uintptr_t end_ = 0;
  Block* free_list_ = nullptr;  // by address
  size_t used_bytes_ = 0;
  size_t free_bytes_ = 0;
};

}  // namespace mu::user
