// The kernel's own page tables: direct map of all RAM, W^X image sections, shared kernel half.
#include "debug/panic.h"
#include "lib/print.h"
#include "mm/direct_map_plan.h"
#include "mm/memory.h"
#include "mm/mm_internal.h"

extern "C" const char __text_start[], __text_end[], __rodata_start[], __data_start[],
    __ksyms_start[], __kernel_end[];

namespace kernel::mm {
namespace {

// The direct map ends where the next kernel area would begin: 64 TiB of physical memory.
constexpr uint64_t kHhdmLimit = 64ULL << 40;
constexpr uint64_t kFirstKernelPml4Index = 256;
constexpr uint64_t kCr4Pge = 1ULL << 7;  // Intel SDM vol 3A §2.5

KernelTableMemory g_table_memory;
uint64_t g_kernel_root = 0;

uint64_t align_up(uint64_t value, uint64_t align) { return (value + align - 1) & ~(align - 1); }
uint64_t align_down(uint64_t value, uint64_t align) { return value & ~(align - 1); }

uint64_t read_cr4() {
  uint64_t value;
  asm volatile("mov %%cr4, %0" : "=r"(value));
  return value;
}
void write_cr4(uint64_t value) { asm volatile("mov %0, %%cr4" : : "r"(value) : "memory"); }

// 1 GiB pages: CPUID.80000001H:EDX[26] (Intel SDM vol 3A §4.1.4).
bool cpu_has_huge_pages() {
  uint32_t eax = 0x80000000, ebx, ecx = 0, edx;
  asm volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
  if (eax < 0x80000001) return false;
  eax = 0x80000001;
  ecx = 0;
  asm volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
  return (edx & (1u << 26)) != 0;
}

void must_map(mu::PageTableBuilder& builder, uint64_t virt, uint64_t phys, uint64_t size,
              mu::PagePerms perms, bool allow_huge, const char* what) {
  const mu::PagingError error = builder.map(virt, phys, size, perms, true, allow_huge);
  if (error != mu::PagingError::None) {
    panic("mm: mapping %s [0x%lx, +0x%lx) failed: %s", what, virt, size,
          mu::paging_error_string(error));
  }
}

struct DirectMapContext {
  mu::PageTableBuilder* builder;
  bool huge;
};

// HHDM per plan_direct_map (all regions plus [0, 4 GiB); MMIO, reserved ranges and low holes
// uncached). Pieces never overlap and map() picks 2 MiB / 1 GiB pages wherever they fit. The
// framebuffer stays write-back: write-combining needs the PAT, and uncached scrolling would be
// very slow on hardware.
void map_direct(mu::PageTableBuilder& builder, const mu::BootInfo& info, bool huge) {
  DirectMapContext context{&builder, huge};
  plan_direct_map(
      info.regions, info.region_count, info.framebuffer.base, info.framebuffer.size, kHhdmLimit,
      [](void* raw, const DirectMapPiece& piece) {
        auto* ctx = static_cast<DirectMapContext*>(raw);
        const mu::PagePerms perms{.write = true, .global = true, .uncached = piece.uncached};
        must_map(*ctx->builder, mu::kHhdmBase + piece.base, piece.base, piece.end - piece.base,
                 perms, ctx->huge, "direct map");
      },
      &context);
}

// The image with W^X per section (linker-script symbols, kernel.ld), global like all kernel pages.
void map_image(mu::PageTableBuilder& builder, const mu::BootInfo& info) {
  struct Section {
    const char* start;
    const char* end;
    mu::PagePerms perms;
    const char* name;
  };
  const Section sections[] = {
      {__text_start, __rodata_start, {.execute = true, .global = true}, "kernel text"},
      {__rodata_start, __data_start, {.global = true}, "kernel rodata"},
      {__data_start, __ksyms_start, {.write = true, .global = true}, "kernel data/bss"},
      {__ksyms_start, __kernel_end, {.global = true}, "kernel symbols"},
  };
  for (const Section& s : sections) {
    const uint64_t start = align_down(reinterpret_cast<uint64_t>(s.start), mu::kPageSize);
    const uint64_t end = align_up(reinterpret_cast<uint64_t>(s.end), mu::kPageSize);
    if (start >= end) continue;
    const uint64_t phys = info.kernel_phys_base + (start - info.kernel_virt_base);
    // 4 KiB pages only: the sections are not 2 MiB aligned and must keep their own rights.
    const mu::PagingError error = builder.map(start, phys, end - start, s.perms, false, false);
    if (error != mu::PagingError::None) {
      panic("mm: mapping %s failed: %s", s.name, mu::paging_error_string(error));
    }
  }
}

}  // namespace

uint64_t KernelTableMemory::alloc_table() { return alloc_frame(); }
uint64_t* KernelTableMemory::table_at(uint64_t phys) {
  return static_cast<uint64_t*>(phys_to_virt(phys));
}
void KernelTableMemory::free_table(uint64_t phys) { free_frame(phys); }

KernelTableMemory& table_memory() { return g_table_memory; }
uint64_t kernel_root() { return g_kernel_root; }

void init_kernel_space(const mu::BootInfo& info) {
  g_kernel_root = alloc_frame();
  if (g_kernel_root == 0) panic("mm: no frame for the kernel PML4");
  // Every kernel-half PML4 entry gets its PDPT now, so address spaces created later share the
  // whole kernel half by copying entries 256-511 and never need updating.
  uint64_t* pml4 = g_table_memory.table_at(g_kernel_root);
  for (uint64_t i = kFirstKernelPml4Index; i < 512; ++i) {
    const uint64_t pdpt = alloc_frame();
    if (pdpt == 0) panic("mm: no frame for kernel PDPT %lu", i);
    pml4[i] = pdpt | mu::kPtePresent | mu::kPteWritable;
  }

  mu::PageTableBuilder builder(g_table_memory, g_kernel_root);
  map_direct(builder, info, cpu_has_huge_pages());
  map_image(builder, info);

  // Global pages survive CR3 switches (Intel SDM vol 3A §4.10.2.4); toggling PGE off and on
  // also flushes every stale loader translation.
  const uint64_t cr4 = read_cr4();
  write_cr4(cr4 & ~kCr4Pge);
  load_page_table_root(g_kernel_root);
  write_cr4(cr4 | kCr4Pge);
}

void activate_kernel_space() { load_page_table_root(g_kernel_root); }

mu::PagingError map_kernel(uint64_t virt, uint64_t phys, uint64_t size, mu::PagePerms perms) {
  if (virt < mu::kHhdmBase) return mu::PagingError::NonCanonical;
  perms.global = true;
  mu::PageTableBuilder builder(g_table_memory, g_kernel_root);
  return builder.map(virt, phys, size, perms, true, false);
}

void unmap_kernel(uint64_t virt, uint64_t size) {
  mu::PageTableBuilder builder(g_table_memory, g_kernel_root);
  mu::TlbFlushList flush;
  const mu::PagingError error = builder.unmap(virt, size, &flush);
  if (error != mu::PagingError::None) {
    panic("mm: unmapping kernel [0x%lx, +0x%lx) failed: %s", virt, size,
          mu::paging_error_string(error));
  }
  flush_tlb(g_kernel_root, flush);
}

void flush_tlb(uint64_t root, const mu::TlbFlushList& flush) {
  const bool kernel = root == g_kernel_root;
  if (!kernel && read_page_table_root() != root) return;
  if (flush.full_flush) {
    if (kernel) {
      // Global entries only go with a PGE toggle (Intel SDM vol 3A §4.10.4.1).
      const uint64_t cr4 = read_cr4();
      write_cr4(cr4 & ~kCr4Pge);
      write_cr4(cr4);
    } else {
      load_page_table_root(read_page_table_root());
    }
    return;
  }
  for (size_t i = 0; i < flush.count; ++i) invalidate_page(flush.pages[i]);
}

}  // namespace kernel::mm
