// HeapCore (heap_core.h): first-fit allocation, splitting, and merging on free.
#include "heap_core.h"

namespace mu::user {
namespace {

// Tags mark headers so that release() can refuse pointers it never handed out.
constexpr uint64_t kUsedTag = 0x5553'4544'424C'4B31ULL;     // "USEDBLK1"
constexpr uint64_t kFreeTag = 0x4652'4545'424C'4B31ULL;     // "FREEBLK1"
constexpr uint64_t kAlignedTag = 0x414C'4947'4E45'4431ULL;  // "ALIGNED1": word before = block

constexpr size_t round_up(size_t value, size_t align) { return (value + align - 1) & ~(align - 1); }

}  // namespace

void HeapCore::init(uintptr_t base) {
  base_ = base;
  end_ = base;
  free_list_ = nullptr;
  used_bytes_ = 0;
  free_bytes_ = 0;
}

size_t HeapCore::block_size_for(size_t bytes) {
  if (bytes > SIZE_MAX / 2) return 0;
  const size_t size = round_up(bytes + kHeaderBytes, kAlign);
  return size < kMinBlock ? kMinBlock : size;
}

void HeapCore::extend(size_t bytes) {
  if (bytes < kMinBlock) return;  // too small to be a block; callers extend by pages
  auto* block = reinterpret_cast<Block*>(end_);
  end_ += bytes;
  block->size = bytes;
  block->tag = kFreeTag;
  free_bytes_ += bytes;
  insert_free(block);
}

size_t HeapCore::tail_free_bytes() const {
  for (Block* b = free_list_; b != nullptr; b = b->next) {
    if (reinterpret_cast<uintptr_t>(b) + b->size == end_) return b->size;
  }
  return 0;
}

size_t HeapCore::free_block_count() const {
  size_t n = 0;
  for (Block* b = free_list_; b != nullptr; b = b->next) ++n;
  return n;
}

// Puts a free block into the address-ordered list and merges it with adjacent free blocks.
void HeapCore::insert_free(Block* block) {
  Block* prev = nullptr;
  Block* next = free_list_;
  while (next != nullptr && next < block) {
    prev = next;
    next = next->next;
  }
  block->next = next;
  if (prev != nullptr) {
    prev->next = block;
  } else {
    free_list_ = block;
  }
  const auto end_of = [](Block* b) { return reinterpret_cast<uintptr_t>(b) + b->size; };
  if (next != nullptr && end_of(block) == reinterpret_cast<uintptr_t>(next)) {
    block->size += next->size;
    block->next = next->next;
    next->tag = 0;  // a stale pointer to the absorbed block no longer looks like a block
  }
  if (prev != nullptr && end_of(prev) == reinterpret_cast<uintptr_t>(block)) {
    prev->size += block->size;
    prev->next = block->next;
    block->tag = 0;
  }
}

// Hands out `size` bytes from the front of free block `block` (whose list predecessor is
// `prev`), splitting off the rest when it can stand as a block of its own.
void* HeapCore::take(Block* block, Block* prev, size_t size) {
  Block* rest_link = block->next;
  if (block->size - size >= kMinBlock) {
    auto* rest = reinterpret_cast<Block*>(reinterpret_cast<uintptr_t>(block) + size);
    rest->size = block->size - size;
    rest->tag = kFreeTag;
    rest->next = block->next;
    rest_link = rest;
    block->size = size;
  }
  if (prev != nullptr) {
    prev->next = rest_link;
  } else {
    free_list_ = rest_link;
  }
  block->tag = kUsedTag;
  free_bytes_ -= block->size;
  used_bytes_ += block->size;
  return reinterpret_cast<char*>(block) + kHeaderBytes;
}

void* HeapCore::allocate(size_t bytes) {
  const size_t size = block_size_for(bytes);
  if (size == 0) return nullptr;
  Block* prev = nullptr;
  for (Block* b = free_list_; b != nullptr; prev = b, b = b->next) {
    if (b->size >= size) return take(b, prev, size);
  }
  return nullptr;
}

void* HeapCore::allocate_aligned(size_t bytes, size_t align) {
  if (align == 0 || (align & (align - 1)) != 0) return nullptr;
  if (align <= kAlign) return allocate(bytes);
  if (align > SIZE_MAX / 4 || bytes > SIZE_MAX / 4) return nullptr;
  // Room for the payload at any alignment offset plus the two words that lead back to the block.
  char* raw = static_cast<char*>(allocate(bytes + align + kHeaderBytes));
  if (raw == nullptr) return nullptr;
  const uintptr_t aligned = round_up(reinterpret_cast<uintptr_t>(raw) + kHeaderBytes, align);
  auto* words = reinterpret_cast<uint64_t*>(aligned - kHeaderBytes);
  words[0] = reinterpret_cast<uintptr_t>(raw);
  words[1] = kAlignedTag;
  return reinterpret_cast<void*>(aligned);
}

HeapCore::Block* HeapCore::block_of(void* payload) const {
  const auto p = reinterpret_cast<uintptr_t>(payload);
  if (p < base_ + kHeaderBytes || p >= end_ || (p - base_) % kAlign != 0) return nullptr;
  return reinterpret_cast<Block*>(p - kHeaderBytes);
}

bool HeapCore::release(void* p) {
  Block* block = block_of(p);
  if (block == nullptr) return false;
  if (block->tag == kAlignedTag) {
    void* raw = reinterpret_cast<void*>(block->size);  // the word before the tag: allocate's result
    Block* outer = block_of(raw);
    if (outer == nullptr || outer->tag != kUsedTag || raw >= p) return false;
    block->tag = 0;
    block = outer;
  }
  if (block->tag != kUsedTag || block->size < kMinBlock ||
      reinterpret_cast<uintptr_t>(block) + block->size > end_) {
    return false;
  }
  used_bytes_ -= block->size;
  free_bytes_ += block->size;
  block->tag = kFreeTag;
  insert_free(block);
  return true;
}

}  // namespace mu::user
