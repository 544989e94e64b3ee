// ktest=mm: frames, kernel W^X, guarded stacks, address spaces, user copies and SMAP, checked on
// the running kernel.
#include "mm/mm_selftest.h"

#include "lib/print.h"
#include "mm/memory.h"
#include "mm/mm_internal.h"
#include "mm/user_copy.h"
#include "mm/user_range.h"

namespace kernel::mm {
namespace {

const char kRodataProbe[] = "read-only";
uint64_t g_data_probe = 1;

class Checker {
 public:
  void check(bool ok, const char* name) {
    kprintf("ktest: mm: %s %s\n", ok ? "PASS" : "FAIL", name);
    if (ok) {
      ++passed_;
    } else {
      ++failed_;
    }
  }
  void skip(const char* name, const char* why) { kprintf("ktest: mm: SKIP %s (%s)\n", name, why); }
  bool finish() const {
    kprintf("ktest: mm: %u passed, %u failed\n", passed_, failed_);
    return failed_ == 0;
  }

 private:
  unsigned passed_ = 0;
  unsigned failed_ = 0;
};

void check_frames(Checker& c) {
  constexpr size_t kCount = 64;
  uint64_t frames[kCount];
  const uint64_t before = free_frame_count();
  bool ok = true;
  for (size_t i = 0; i < kCount; ++i) {
    frames[i] = alloc_frame();
    if (frames[i] == 0 || (frames[i] & (mu::kPageSize - 1)) != 0) ok = false;
    const auto* words = static_cast<const uint64_t*>(phys_to_virt(frames[i]));
    for (size_t w = 0; ok && w < mu::kPageSize / 8; ++w) ok = words[w] == 0;
    for (size_t j = 0; j < i; ++j) ok = ok && frames[j] != frames[i];
  }
  c.check(ok, "frames: 64 distinct zeroed aligned frames");
  c.check(free_frame_count() == before - kCount, "frames: free count drops by 64");
  for (uint64_t frame : frames) {
    if (frame != 0) free_frame(frame);
  }
  c.check(free_frame_count() == before, "frames: free count restored after free");
}

void check_kernel_tables(Checker& c) {
  mu::PageTableBuilder kernel(table_memory(), kernel_root());
  const auto text = kernel.translate(reinterpret_cast<uint64_t>(&check_kernel_tables));
  c.check(text.present && text.execute && !text.write && !text.user, "kernel text is R+X");
  const auto rodata = kernel.translate(reinterpret_cast<uint64_t>(kRodataProbe));
  c.check(rodata.present && !rodata.execute && !rodata.write, "kernel rodata is R, NX");
  const auto data = kernel.translate(reinterpret_cast<uint64_t>(&g_data_probe));
  c.check(data.present && !data.execute && data.write, "kernel data is RW, NX");
  const uint64_t probe = alloc_frame();
  const auto direct = kernel.translate(reinterpret_cast<uint64_t>(phys_to_virt(probe)));
  c.check(direct.present && direct.phys == probe && direct.write && !direct.execute,
          "direct map is RW, NX");
  free_frame(probe);
  c.check(read_page_table_root() == kernel_root(), "CR3 holds the kernel's own tables");
  c.check(!probe_kernel_write(reinterpret_cast<uint64_t>(kRodataProbe)) &&
              !probe_kernel_write(reinterpret_cast<uint64_t>(&check_kernel_tables)),
          "write to kernel rodata and text faults");
  c.check(probe_kernel_write(reinterpret_cast<uint64_t>(&g_data_probe)),
          "write to kernel data works");
  const uint64_t* pml4 = table_memory().table_at(kernel_root());
  bool user_half_empty = true;
  for (size_t i = 0; i < 256; ++i) user_half_empty = user_half_empty && pml4[i] == 0;
  c.check(user_half_empty, "kernel tables have an empty user half");
}

void check_kernel_stack(Checker& c) {
  KernelStack stack;
  // The first stack in a slot range also allocates the page tables there, which stay; measure
  // the frame count after they exist.
  if (alloc_kernel_stack(4, &stack)) free_kernel_stack(stack);
  const uint64_t before = free_frame_count();
  if (!alloc_kernel_stack(4, &stack)) {
    c.check(false, "kernel stack: allocation");
    return;
  }
  mu::PageTableBuilder kernel(table_memory(), kernel_root());
  c.check(stack.top - stack.bottom == 4 * mu::kPageSize && (stack.top & 15) == 0 &&
              stack.bottom >= kKernelStackAreaBase && stack.top <= kKernelStackAreaEnd,
          "kernel stack: 4 pages in the stack area");
  const auto low = kernel.translate(stack.bottom);
  c.check(low.present && low.write && !low.execute, "kernel stack: pages mapped RW, NX");
  c.check(!kernel.translate(stack.bottom - mu::kPageSize).present,
          "kernel stack: guard page below is unmapped");
  auto* top_word = reinterpret_cast<volatile uint64_t*>(stack.top - 8);
  *top_word = 0x5AFE;
  c.check(*top_word == 0x5AFE, "kernel stack: writable");
  free_kernel_stack(stack);
  c.check(!kernel.translate(stack.bottom).present && free_frame_count() == before,
          "kernel stack: freed and unmapped");
}

void check_user_copies(Checker& c) {
  constexpr uint64_t kUserPage = 0x400000;
  const uint64_t before = free_frame_count();
  AddressSpace space;
  if (!AddressSpace::create(&space)) {
    c.check(false, "address space: create");
    return;
  }
  const uint64_t frame = alloc_frame();
  auto* kernel_view = static_cast<uint8_t*>(phys_to_virt(frame));
  for (size_t i = 0; i < mu::kPageSize; ++i) kernel_view[i] = static_cast<uint8_t>(i * 7 + 3);
  c.check(space.map(kUserPage, frame, mu::kPageSize, {.write = true}) == mu::PagingError::None,
          "address space: map a user page");
  c.check(
      space.map(0xFFFF800000000000ULL, frame, mu::kPageSize, {}) == mu::PagingError::NotUserRange &&
          space.map(0, frame, mu::kPageSize, {}) == mu::PagingError::NotUserRange &&
          space.map(kUserEnd - mu::kPageSize, frame, mu::kPageSize, {}) ==
              mu::PagingError::NotUserRange,
      "address space: kernel address, NULL page and last user page refused");
  c.check(space.translate(kUserPage).present && space.translate(kUserPage).user,
          "address space: translate finds the user page");
  space.activate();

  uint8_t buffer[64] = {};
  bool same = copy_from_user(buffer, kUserPage + 100, sizeof(buffer));
  for (size_t i = 0; i < sizeof(buffer); ++i) {
    same = same && buffer[i] == static_cast<uint8_t>((100 + i) * 7 + 3);
  }
  c.check(same, "copy_from_user reads the mapped page");
  const char message[] = "hello, user";
  c.check(copy_to_user(kUserPage + 0x800, message, sizeof(message)) && kernel_view[0x800] == 'h' &&
              kernel_view[0x80A] == 'r',
          "copy_to_user writes the mapped page");

  c.check(!copy_from_user(buffer, kUserPage + mu::kPageSize, 8), "copy_from_user: unmapped fails");
  c.check(!copy_from_user(buffer, kUserPage + mu::kPageSize - 4, 8),
          "copy_from_user: range running into unmapped page fails");
  c.check(!copy_from_user(buffer, reinterpret_cast<uint64_t>(&g_data_probe), 8),
          "copy_from_user: kernel address fails");
  c.check(!copy_from_user(buffer, 0x0000800000000000ULL, 8) &&
              !copy_from_user(buffer, 0xDEAD000000000000ULL, 8),
          "copy_from_user: non-canonical fails");
  c.check(!copy_from_user(buffer, 0xFFFFFFFFFFFFF000ULL, 0x2000) &&
              !copy_to_user(0x7FFFFFFFF000ULL, buffer, 0x2000),
          "copy: wrapping / past user end fails");
  c.check(!copy_from_user(buffer, 0x10, 8), "copy_from_user: NULL page fails");

  c.check(space.protect(kUserPage, mu::kPageSize, {}) == mu::PagingError::None &&
              !copy_to_user(kUserPage, message, 4) && copy_from_user(buffer, kUserPage, 4),
          "protect read-only: copy_to_user fails, copy_from_user works (TLB flushed)");
  c.check(space.unmap(kUserPage, mu::kPageSize) == mu::PagingError::None &&
              !copy_from_user(buffer, kUserPage, 4),
          "unmap: copy_from_user fails afterwards (TLB flushed)");

  uint64_t cr4;
  asm volatile("mov %%cr4, %0" : "=r"(cr4));
  if ((cr4 & (1ULL << 21)) != 0) {
    (void)space.map(kUserPage, frame, mu::kPageSize, {.write = true});
    c.check(copy_from_user(buffer, kUserPage, 1) && !probe_user_read_without_stac(kUserPage),
            "SMAP: kernel read of a user page without stac faults");
  } else {
    c.skip("SMAP", "CPU has no SMAP");
  }
  if ((cr4 & (1ULL << 20)) != 0) {
    // A user page holding `ret`: executable for user mode, never for the kernel under SMEP.
    kernel_view[0x900] = 0xC3;
    (void)space.unmap(kUserPage, mu::kPageSize);
    c.check(
        space.map(kUserPage, frame, mu::kPageSize, {.execute = true}) == mu::PagingError::None &&
            !probe_user_exec(kUserPage + 0x900),
        "SMEP: kernel execution of a user page faults");
    // Control: the same call succeeds with SMEP briefly off, so the fault above was SMEP's.
    const uint64_t no_smep = cr4 & ~(1ULL << 20);
    asm volatile("mov %0, %%cr4" : : "r"(no_smep) : "memory");
    const bool ran = probe_user_exec(kUserPage + 0x900);
    asm volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
    c.check(ran, "SMEP: control: the same call runs with SMEP off");
  } else {
    c.skip("SMEP", "CPU has no SMEP");
  }

  activate_kernel_space();
  space.destroy();
  free_frame(frame);
  c.check(free_frame_count() == before, "address space: destroy returns every table frame");
}

void check_large_pages(Checker& c) {
  constexpr uint64_t kBase = 0x40000000;  // 1 GiB: 2 MiB aligned
  const uint64_t before = free_frame_count();
  const uint64_t block = alloc_contiguous_frames(512, 512);
  if (block == 0) {
    c.skip("2 MiB user mapping", "no free 2 MiB block");
    return;
  }
  AddressSpace space;
  if (!AddressSpace::create(&space)) {
    c.check(false, "2 MiB: address space create");
    return;
  }
  static_cast<uint8_t*>(phys_to_virt(block))[mu::kLargePageSize - 1] = 0xA5;
  const bool mapped =
      space.map(kBase, block, mu::kLargePageSize, {.write = true}) == mu::PagingError::None;
  const auto t = space.translate(kBase + mu::kLargePageSize - 1);
  c.check(mapped && t.present && t.page_size == mu::kLargePageSize &&
              t.phys == block + mu::kLargePageSize - 1,
          "2 MiB: aligned map uses a 2 MiB page");
  space.activate();
  uint8_t byte = 0;
  c.check(copy_from_user(&byte, kBase + mu::kLargePageSize - 1, 1) && byte == 0xA5,
          "2 MiB: copy_from_user reads the large page");
  c.check(space.unmap(kBase + mu::kPageSize, mu::kPageSize) == mu::PagingError::SplitsLargePage &&
              space.translate(kBase + mu::kPageSize).present,
          "2 MiB: partial unmap refused, mapping intact");
  c.check(space.unmap(kBase, mu::kLargePageSize) == mu::PagingError::None &&
              !copy_from_user(&byte, kBase + 0x1234, 1),
          "2 MiB: whole unmap removes it (TLB flushed)");
  activate_kernel_space();
  space.destroy();
  for (uint64_t i = 0; i < 512; ++i) free_frame(block + i * mu::kPageSize);
  c.check(free_frame_count() == before, "2 MiB: every frame returned");
}

}  // namespace

bool run_selftest() {
  Checker c;
  check_frames(c);
  check_kernel_tables(c);
  check_kernel_stack(c);
  check_user_copies(c);
  check_large_pages(c);
  return c.finish();
}

}  // namespace kernel::mm
