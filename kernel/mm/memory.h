// The kernel's memory services: frames, its own page tables, kernel stacks, address spaces and
// user copies. Implemented in kernel/mm/ (and arch/x86_64/ for the user-copy fault fix-ups).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mu/bootinfo.h"
#include "mu/paging.h"

namespace kernel::mm {

// Virtual layout. The kernel half (PML4 entries 256-511) is the same in every address space.
//   [0x0000'0000'0001'0000, 0x0000'7FFF'FFFF'F000)  user half (first 64 KiB, last page unmapped)
//   [0xFFFF'8000'0000'0000, +64 TiB)                direct map of physical memory (HHDM), RW NX
//   [kKernelStackAreaBase, kKernelStackAreaEnd)     kernel stacks, 64 KiB slots, guard below each
//   [0xFFFF'FFFF'8000'0000, image end)              kernel image: text RX, rodata R, data RW NX
inline constexpr uint64_t kKernelStackAreaBase = 0xFFFF'FFFF'4000'0000ULL;
inline constexpr uint64_t kKernelStackAreaEnd = 0xFFFF'FFFF'8000'0000ULL;

// Sets up the frame allocator from the BootInfo map, builds and switches to the kernel's own
// page tables (direct map, W^X sections, guarded stacks). Called once, early, on the boot CPU,
// after arch::enable_cpu_protections (it reads CR4.SMAP for the copy routines).
// Panics if memory cannot be set up: there is no way to continue without it.
void init(const mu::BootInfo& info);

// Hands boot-reclaimable memory (and the BootInfo and loader page tables) to the frame allocator
// and returns how many bytes that added (0 on a second call). Precondition: nothing the kernel
// still uses lives there (the BootInfo was copied, the loader's page tables are no longer loaded).
uint64_t reclaim_boot_memory();

// Loads the kernel's own tables (an empty user half) into CR3, e.g. before destroying the
// address space that was active.
void activate_kernel_space();

// One 4 KiB frame, zeroed; 0 when memory is exhausted.
[[nodiscard]] uint64_t alloc_frame();
// `count` physically contiguous zeroed frames aligned to `align_frames` frames (a power of two;
// 512 for a 2 MiB page); 0 when no such run is free. Slow (scans the bitmap): for large pages
// and DMA buffers, not for everyday allocation. Free each frame with free_frame.
[[nodiscard]] uint64_t alloc_contiguous_frames(size_t count, size_t align_frames);
// Returns a frame. A double free or a frame the allocator never managed is a kernel panic.
void free_frame(uint64_t phys);
[[nodiscard]] uint64_t free_frame_count();
// Frames handed out by alloc_frame and alloc_contiguous_frames since boot (never decreases): the
// kernel compares it before and after init ran to show it allocated nothing after boot.
[[nodiscard]] uint64_t frames_allocated();
// Hands free memory over for good (boot: it becomes init's untyped memory). The lowest
// `keep_frames` free frames stay with the kernel; the rest is cut into naturally aligned
// power-of-two blocks, at most `max_blocks`, each withdrawn from the allocator and passed to
// `out`. Returns the bytes withdrawn.
uint64_t withdraw_free_blocks(uint64_t keep_frames, uint64_t max_blocks,
                              void (*out)(void* context, uint64_t base, unsigned size_bits),
                              void* context);
[[nodiscard]] uint64_t total_frame_count();

// Where physical memory is visible to the kernel (the direct map).
[[nodiscard]] inline void* phys_to_virt(uint64_t phys) {
  return reinterpret_cast<void*>(mu::kHhdmBase + phys);
}

// A kernel stack in the kernel-stack area, with an unmapped guard page below it.
struct KernelStack {
  uint64_t bottom = 0;  // lowest mapped address
  uint64_t top = 0;     // initial stack pointer (16-byte aligned)
};
[[nodiscard]] bool alloc_kernel_stack(size_t pages, KernelStack* out);
void free_kernel_stack(const KernelStack& stack);

// A user address space: its own top-level table, sharing the kernel half.
class AddressSpace {
 public:
  // A new, empty user address space; false when out of memory.
  [[nodiscard]] static bool create(AddressSpace* out);
  // Wraps an existing top-level table whose kernel half is already in place (a VSpace object).
  [[nodiscard]] static AddressSpace adopt(uint64_t root) {
    AddressSpace space;
    space.root_ = root;
    return space;
  }
  // Unmaps everything in the user half and frees the page tables (not the mapped frames).
  // Precondition: not active on another CPU (if active on this one, the kernel's tables are
  // loaded first).
  void destroy();

  // Maps/unmaps/re-protects [virt, virt+size) in the user half (NotUserRange otherwise; the
  // very last user page is refused too); always user pages, never global. Semantics as
  // mu::PageTableBuilder (map: 2 MiB pages where aligned; unmap skips holes; protect needs every
  // page mapped; neither splits a large page). Invalidates this CPU's TLB when active.
  [[nodiscard]] mu::PagingError map(uint64_t virt, uint64_t phys, uint64_t size,
                                    mu::PagePerms perms);
  [[nodiscard]] mu::PagingError unmap(uint64_t virt, uint64_t size);
  [[nodiscard]] mu::PagingError protect(uint64_t virt, uint64_t size, mu::PagePerms perms);
  [[nodiscard]] mu::PageTableBuilder::Translation translate(uint64_t virt) const;

  // Loads this address space's tables into CR3.
  void activate() const;
  [[nodiscard]] uint64_t root() const { return root_; }

 private:
  uint64_t root_ = 0;
};

// Copies between kernel memory and the current address space's user half. Return false (and
// copy an unspecified prefix) when any byte is outside the user half, unmapped, or not
// accessible (not writable for copy_to_user); never fault the kernel.
[[nodiscard]] bool copy_from_user(void* dst, uint64_t user_src, size_t len);
[[nodiscard]] bool copy_to_user(uint64_t user_dst, const void* src, size_t len);

}  // namespace kernel::mm
