// Boot-CPU GDT, TSS and IST stacks. An SMP issue turns these into per-CPU copies.
#include "arch/x86_64/gdt.h"

#include <stddef.h>

namespace kernel::x86 {
namespace {

// 64-bit TSS, SDM vol 3A §7.7 figure 7-11.
struct [[gnu::packed]] Tss {
  uint32_t reserved0;
  uint64_t rsp[3];
  uint64_t reserved1;
  uint64_t ist[7];
  uint64_t reserved2;
  uint16_t reserved3;
  uint16_t iomap_base;
};
static_assert(sizeof(Tss) == 104);

// The TSS followed by its I/O permission bitmap (SDM vol 1 §19.5.2): one bit per port, 1 = no
// access from CPL 3 (IOPL stays 0). The CPU reads two bytes for every check, so a byte of ones
// follows the last one, and the TSS limit covers it (a port whose bit lies beyond the limit is
// refused too).
struct [[gnu::packed]] TssWithIoBitmap {
  Tss tss;
  uint8_t io_bitmap[kIoBitmapBytes];
  uint8_t io_bitmap_end;
};

struct [[gnu::packed]] DescriptorPointer {
  uint16_t limit;
  uint64_t base;
};

constexpr size_t kIstStackSize = 16 * 1024;

// Code/data descriptors: only P, DPL, S, type and L matter in long mode (SDM vol 3A §5.2.1).
constexpr uint64_t kNull = 0;
constexpr uint64_t kKernelCode64 = 0x00AF9A000000FFFFULL;  // P, DPL0, code exec/read, L
constexpr uint64_t kKernelData = 0x00CF92000000FFFFULL;    // P, DPL0, data read/write
constexpr uint64_t kUserData = 0x00CFF2000000FFFFULL;      // P, DPL3, data read/write
constexpr uint64_t kUserCode64 = 0x00AFFA000000FFFFULL;    // P, DPL3, code exec/read, L

alignas(16) uint64_t g_gdt[7];
alignas(16) TssWithIoBitmap g_tss_block;
Tss& g_tss = g_tss_block.tss;
alignas(16) uint8_t g_ist_stacks[3][kIstStackSize];

}  // namespace

extern "C" void gdt_load(const DescriptorPointer* pointer, uint64_t code_selector,
                         uint64_t data_selector);

void gdt_init() {
  g_gdt[0] = kNull;
  g_gdt[1] = kKernelCode64;
  g_gdt[2] = kKernelData;
  g_gdt[3] = kUserData;
  g_gdt[4] = kUserCode64;

  for (size_t i = 0; i < 3; ++i) {
    // Stacks grow down: the IST entry holds the top.
    g_tss.ist[i] = reinterpret_cast<uint64_t>(&g_ist_stacks[i][kIstStackSize]);
  }
  // Every port closed until io_bitmap.cc opens a thread's range.
  for (uint8_t& byte : g_tss_block.io_bitmap) byte = 0xFF;
  g_tss_block.io_bitmap_end = 0xFF;
  g_tss.iomap_base = offsetof(TssWithIoBitmap, io_bitmap);

  // 16-byte system descriptor for an available 64-bit TSS (type 9), SDM vol 3A §7.2.3.
  const uint64_t base = reinterpret_cast<uint64_t>(&g_tss_block);
  const uint64_t limit = sizeof(TssWithIoBitmap) - 1;
  g_gdt[5] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (0x89ULL << 40) |
             (((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFF) << 56);
  g_gdt[6] = base >> 32;

  const DescriptorPointer pointer{sizeof(g_gdt) - 1, reinterpret_cast<uint64_t>(g_gdt)};
  gdt_load(&pointer, kKernelCodeSelector, kKernelDataSelector);
  asm volatile("ltr %0" : : "r"(kTssSelector));
}

void set_tss_rsp0(uint64_t top) { g_tss.rsp[0] = top; }
void set_ist_stack(uint8_t slot, uint64_t top) { g_tss.ist[slot - 1] = top; }
uint64_t ist_stack(uint8_t slot) { return g_tss.ist[slot - 1]; }
uint8_t* tss_io_bitmap() { return g_tss_block.io_bitmap; }

}  // namespace kernel::x86
