// Address-space tests: PageTableMap/Unmap, FrameMap/Unmap/Remap and FrameAddress, including every
// error they document (kernel/syscall/sys_vspace.cc), sharing through cap copies, delete and
// revoke undoing mappings, and ASIDs coming back after a VSpace is deleted.
// Later (needs fault IPC, wip-ipc): a write to a read-only mapping, a fetch from a non-executable
// one and an access after unmap must each deliver a page fault; today the TLB tests below check
// the positive side (new translations are seen at once).
#include "framework.h"
#include "support.h"

using namespace mu::user;
using namespace captest;
using mu::ObjectType;

namespace {

constexpr uint64_t kW = mu::kMapWrite;
constexpr uint64_t kX = mu::kMapExecute;
constexpr uint64_t kPage = 4096;
constexpr uint64_t kLarge = uint64_t{2} << 20;
constexpr uint64_t kUserEnd = 0x0000'8000'0000'0000ULL;
constexpr uint64_t kInit = mu::kInitSlotVSpace;
constexpr uint64_t kSelf = mu::kSelfCNode;
// An address in a fresh VSpace (nothing mapped there but what the test maps).
constexpr uint64_t kFar = 0x0000'0040'0000'0000ULL;  // 256 GiB

volatile uint64_t* at(uint64_t vaddr) { return reinterpret_cast<volatile uint64_t*>(vaddr); }

uint64_t word0_of(uint64_t slot) {
  uint64_t w0 = ~uint64_t{0};
  (void)cap_identify(slot, &w0);
  return w0;
}
uint64_t word1_of(uint64_t slot) {
  uint64_t w0 = 0, w1 = ~uint64_t{0};
  (void)cap_identify(slot, &w0, &w1);
  return w1;
}
uint64_t copy_of(uint64_t slot, uint8_t rights = mu::kRightsAll) {
  const uint64_t dst = alloc_slot();
  if (dst == 0 || cap_copy(kSelf, slot, kSelf, dst, rights) != 0) return 0;
  return dst;
}
// A 2 MiB-aligned free range of `bytes` in init's VSpace.
uint64_t alloc_large_vaddr(uint64_t bytes) {
  const uint64_t raw = alloc_vaddr(bytes + kLarge);
  return (raw + kLarge - 1) & ~(kLarge - 1);
}
// Maps new tables for `vaddr` in `vspace`: Pdpt, PageDirectory and (levels == 3) PageTable. A
// level already present refuses its table (Busy), which is fine.
int64_t map_tables(uint64_t vspace, uint64_t vaddr, int levels) {
  const ObjectType types[] = {ObjectType::Pdpt, ObjectType::PageDirectory, ObjectType::PageTable};
  for (int i = 0; i < levels; ++i) {
    uint64_t table = 0;
    const int64_t r = retype_objects(types[i], 0, 1, &table);
    if (r != 0) return r;
    const int64_t m = page_table_map(table, vspace, vaddr);
    if (m != 0 && m != mu::status_value(mu::Status::Busy)) return m;
  }
  return 0;
}

}  // namespace

#define NEW_OBJECT(var, type)                        \
  const uint64_t var = new_object(ObjectType::type); \
  if (var == 0) return
#define NEW_COPY(var, slot, rights)           \
  const uint64_t var = copy_of(slot, rights); \
  ASSERT_NE(var, 0)

// ---------------------------------------------------------------- sharing and basic mapping

MU_TEST(vspace, shared_frame_two_copies_two_addresses) {
  NEW_OBJECT(frame, Frame4K);
  NEW_COPY(copy, frame, mu::kRightsAll);
  const uint64_t a = alloc_vaddr(kPage);
  const uint64_t b = alloc_vaddr(kPage);
  ASSERT_OK(map_frame(frame, kInit, a, kW));
  ASSERT_OK(map_frame(copy, kInit, b, kW));
  *at(a) = 0x1122'3344'5566'7788ULL;
  at(a)[511] = 42;
  ASSERT_EQ(*at(b), 0x1122'3344'5566'7788ULL);
  ASSERT_EQ(at(b)[511], 42);
  at(b)[7] = 7;
  ASSERT_EQ(at(a)[7], 7);
}

MU_TEST(vspace, mapping_recorded_in_cap) {
  NEW_OBJECT(frame, Frame4K);
  ASSERT_EQ(word0_of(frame), 0);
  const uint64_t a = alloc_vaddr(kPage);
  ASSERT_OK(map_frame(frame, kInit, a, 0));
  ASSERT_EQ(word0_of(frame), a);
  ASSERT_EQ(word1_of(frame), word0_of(kInit));  // the ASID of init's VSpace
  ASSERT_TRUE(word0_of(kInit) >= 1 && word0_of(kInit) < 4096);
  NEW_COPY(copy, frame, mu::kRightsAll);
  ASSERT_EQ(word0_of(copy), 0);  // copies start unmapped
  ASSERT_OK(frame_unmap(frame));
  ASSERT_EQ(word0_of(frame), 0);
  ASSERT_EQ(word1_of(frame), 0);
}

MU_TEST(vspace, frame_2m_map_write_read) {
  NEW_OBJECT(big, Frame2M);
  const uint64_t v = alloc_large_vaddr(kLarge);
  ASSERT_OK(map_tables(kInit, v, 2));
  ASSERT_STATUS(frame_map(big, kInit, v + kPage, kW), InvalidArgument);
  ASSERT_OK(frame_map(big, kInit, v, kW));
  at(v)[0] = 0xAAAA;
  at(v + kLarge - 8)[0] = 0xBBBB;
  NEW_COPY(copy, big, mu::kRightRead);
  const uint64_t w = alloc_large_vaddr(kLarge);
  ASSERT_OK(map_tables(kInit, w, 2));
  ASSERT_OK(frame_map(copy, kInit, w, 0));
  ASSERT_EQ(at(w)[0], 0xAAAA);
  ASSERT_EQ(at(w + kLarge - 8)[0], 0xBBBB);
  const int64_t phys = frame_address(big);
  ASSERT_TRUE(phys > 0);
  ASSERT_EQ(phys & (kLarge - 1), 0);
}

MU_TEST(vspace, frame_2m_occupies_page_directory_entry) {
  NEW_OBJECT(vs, VSpace);
  NEW_OBJECT(big, Frame2M);
  NEW_OBJECT(pt, PageTable);
  NEW_OBJECT(small, Frame4K);
  ASSERT_OK(map_tables(vs, kFar, 2));
  ASSERT_OK(frame_map(big, vs, kFar, 0));
  ASSERT_STATUS(page_table_map(pt, vs, kFar), Busy);
  ASSERT_STATUS(frame_map(small, vs, kFar + kPage, 0), Busy);
  ASSERT_OK(frame_unmap(big));
  ASSERT_OK(page_table_map(pt, vs, kFar));
  ASSERT_OK(frame_map(small, vs, kFar + kPage, 0));
}

MU_TEST(vspace, page_tables_supplied_as_objects) {
  NEW_OBJECT(vs, VSpace);
  NEW_OBJECT(frame, Frame4K);
  NEW_OBJECT(pdpt, Pdpt);
  NEW_OBJECT(pd, PageDirectory);
  NEW_OBJECT(pt, PageTable);
  ASSERT_STATUS(frame_map(frame, vs, kFar, 0), MissingPageTable);
  ASSERT_STATUS(page_table_map(pt, vs, kFar), MissingPageTable);
  ASSERT_STATUS(page_table_map(pd, vs, kFar), MissingPageTable);
  ASSERT_OK(page_table_map(pdpt, vs, kFar + 0x1234));
  ASSERT_STATUS(frame_map(frame, vs, kFar, 0), MissingPageTable);
  ASSERT_STATUS(page_table_map(pt, vs, kFar), MissingPageTable);
  ASSERT_OK(page_table_map(pd, vs, kFar));
  ASSERT_STATUS(frame_map(frame, vs, kFar, 0), MissingPageTable);
  ASSERT_OK(page_table_map(pt, vs, kFar));
  ASSERT_OK(frame_map(frame, vs, kFar, 0));
  // Table records: the start of the range each covers, with bit 0 set.
  ASSERT_EQ(word0_of(pdpt), 0 | 1);  // [0, 512 GiB)
  ASSERT_EQ(word0_of(pd), kFar | 1);
  ASSERT_EQ(word0_of(pt), kFar | 1);
  ASSERT_EQ(word1_of(pt), word0_of(vs));
}

// ---------------------------------------------------------------- errors

MU_TEST(vspace, map_address_errors) {
  NEW_OBJECT(frame, Frame4K);
  const uint64_t a = alloc_vaddr(kPage);
  ASSERT_OK(map_tables(kInit, a, 3));
  ASSERT_STATUS(frame_map(frame, kInit, a + 8, 0), InvalidArgument);
  ASSERT_STATUS(frame_map(frame, kInit, a + 0x800, 0), InvalidArgument);
  ASSERT_STATUS(frame_map(frame, kInit, 0, 0), InvalidArgument);
  ASSERT_STATUS(frame_map(frame, kInit, 0x1000, 0), InvalidArgument);
  ASSERT_STATUS(frame_map(frame, kInit, 0xF000, 0), InvalidArgument);
  ASSERT_STATUS(frame_map(frame, kInit, kUserEnd - kPage, 0), InvalidArgument);  // last page
  ASSERT_STATUS(frame_map(frame, kInit, kUserEnd, 0), InvalidArgument);
  ASSERT_STATUS(frame_map(frame, kInit, 0x0000'9000'0000'0000ULL, 0), InvalidArgument);
  ASSERT_STATUS(frame_map(frame, kInit, 0xFFFF'8000'0000'0000ULL, 0), InvalidArgument);
  ASSERT_STATUS(frame_map(frame, kInit, ~uint64_t{0xFFF}, 0), InvalidArgument);
  NEW_OBJECT(pdpt, Pdpt);
  ASSERT_STATUS(page_table_map(pdpt, kInit, kUserEnd), InvalidArgument);
  ASSERT_STATUS(page_table_map(pdpt, kInit, 0xFFFF'FFFF'8000'0000ULL), InvalidArgument);
  ASSERT_EQ(word0_of(frame), 0);
  ASSERT_EQ(word0_of(pdpt), 0);
}

MU_TEST(vspace, map_flag_errors) {
  NEW_OBJECT(frame, Frame4K);
  const uint64_t a = alloc_vaddr(kPage);
  ASSERT_OK(map_tables(kInit, a, 3));
  ASSERT_STATUS(frame_map(frame, kInit, a, kW | kX), InvalidArgument);
  ASSERT_STATUS(frame_map(frame, kInit, a, 4), InvalidArgument);
  ASSERT_STATUS(frame_map(frame, kInit, a, uint64_t{1} << 63), InvalidArgument);
  ASSERT_EQ(word0_of(frame), 0);
  ASSERT_OK(frame_map(frame, kInit, a, kW));
}

MU_TEST(vspace, map_rights_errors) {
  NEW_OBJECT(frame, Frame4K);
  NEW_COPY(ro, frame, mu::kRightRead);
  NEW_COPY(wo, frame, mu::kRightWrite);
  const uint64_t a = alloc_vaddr(kPage);
  ASSERT_OK(map_tables(kInit, a, 3));
  ASSERT_STATUS(frame_map(ro, kInit, a, kW), InsufficientRights);
  ASSERT_STATUS(frame_map(wo, kInit, a, 0), InsufficientRights);
  ASSERT_STATUS(frame_map(wo, kInit, a, kW), InsufficientRights);
  ASSERT_STATUS(frame_map(wo, kInit, a, kX), InsufficientRights);
  ASSERT_STATUS(frame_address(wo), InsufficientRights);
  ASSERT_OK(frame_map(ro, kInit, a, kX));
  ASSERT_STATUS(frame_remap(ro, kW), InsufficientRights);
}

MU_TEST(vspace, busy_errors) {
  NEW_OBJECT(frame, Frame4K);
  NEW_OBJECT(other, Frame4K);
  const uint64_t a = alloc_vaddr(kPage);
  const uint64_t b = alloc_vaddr(kPage);
  ASSERT_OK(map_frame(frame, kInit, a, 0));
  ASSERT_STATUS(frame_map(frame, kInit, b, 0), Busy);  // this cap is mapped
  ASSERT_STATUS(frame_map(other, kInit, a, 0), Busy);  // the entry is in use
  NEW_OBJECT(vs, VSpace);
  NEW_OBJECT(pdpt, Pdpt);
  NEW_OBJECT(pdpt2, Pdpt);
  ASSERT_OK(page_table_map(pdpt, vs, kFar));
  ASSERT_STATUS(page_table_map(pdpt2, vs, kFar), Busy);      // entry in use
  ASSERT_STATUS(page_table_map(pdpt, vs, kFar << 1), Busy);  // table mapped
  NEW_COPY(pdpt_copy, pdpt, mu::kRightsAll);
  ASSERT_STATUS(page_table_map(pdpt_copy, vs, kFar << 1), Busy);  // one place per table
  ASSERT_OK(page_table_map(pdpt2, vs, 0x0000'7000'0000'0000ULL));
}

MU_TEST(vspace, wrong_type_and_slot_errors) {
  NEW_OBJECT(frame, Frame4K);
  NEW_OBJECT(ep, Endpoint);
  NEW_OBJECT(pt, PageTable);
  const uint64_t empty = alloc_slot();
  ASSERT_NE(empty, 0);
  const uint64_t a = alloc_vaddr(kPage);
  ASSERT_STATUS(frame_map(ep, kInit, a, 0), WrongType);
  ASSERT_STATUS(frame_map(pt, kInit, a, 0), WrongType);
  ASSERT_STATUS(frame_map(frame, ep, a, 0), WrongType);
  ASSERT_STATUS(frame_map(frame, mu::kInitSlotCNode, a, 0), WrongType);
  ASSERT_STATUS(frame_map(empty, kInit, a, 0), SlotEmpty);
  ASSERT_STATUS(frame_map(frame, empty, a, 0), SlotEmpty);
  ASSERT_STATUS(frame_map(1u << 20, kInit, a, 0), InvalidSlot);
  ASSERT_STATUS(frame_map(frame, 1u << 20, a, 0), InvalidSlot);
  ASSERT_STATUS(page_table_map(frame, kInit, a), WrongType);
  ASSERT_STATUS(page_table_map(kInit, kInit, a), WrongType);
  ASSERT_STATUS(page_table_map(pt, frame, a), WrongType);
  ASSERT_STATUS(page_table_map(empty, kInit, a), SlotEmpty);
  ASSERT_STATUS(page_table_unmap(frame), WrongType);
  ASSERT_STATUS(page_table_unmap(empty), SlotEmpty);
  ASSERT_STATUS(frame_unmap(pt), WrongType);
  ASSERT_STATUS(frame_unmap(~uint64_t{0}), InvalidSlot);
  ASSERT_STATUS(frame_remap(ep, 0), WrongType);
  ASSERT_STATUS(frame_remap(empty, 0), SlotEmpty);
  ASSERT_STATUS(frame_address(pt), WrongType);
  ASSERT_STATUS(frame_address(empty), SlotEmpty);
  ASSERT_STATUS(frame_address(1u << 20), InvalidSlot);
}

// ---------------------------------------------------------------- unmap, remap, address

MU_TEST(vspace, unmap_then_remap) {
  NEW_OBJECT(frame, Frame4K);
  const uint64_t a = alloc_vaddr(kPage);
  ASSERT_STATUS(frame_unmap(frame), NotMapped);
  ASSERT_STATUS(frame_remap(frame, 0), NotMapped);
  ASSERT_OK(map_frame(frame, kInit, a, kW));
  *at(a) = 99;
  ASSERT_OK(frame_remap(frame, 0));
  ASSERT_EQ(*at(a), 99);
  ASSERT_EQ(word0_of(frame), a);
  ASSERT_STATUS(frame_remap(frame, kW | kX), InvalidArgument);
  ASSERT_STATUS(frame_remap(frame, 16), InvalidArgument);
  ASSERT_OK(frame_unmap(frame));
  ASSERT_STATUS(frame_unmap(frame), NotMapped);
  ASSERT_STATUS(frame_remap(frame, 0), NotMapped);
  const uint64_t b = alloc_vaddr(kPage);
  ASSERT_OK(map_frame(frame, kInit, b, kW));
  ASSERT_EQ(*at(b), 99);  // same memory, new place
}

MU_TEST(vspace, unmap_then_map_other_frame_same_address) {
  // The old translation must be gone from the TLB: the new frame's contents are seen at once.
  NEW_OBJECT(f1, Frame4K);
  NEW_OBJECT(f2, Frame4K);
  const uint64_t a = alloc_vaddr(kPage);
  const uint64_t b = alloc_vaddr(kPage);
  ASSERT_OK(map_frame(f2, kInit, b, kW));
  *at(b) = 2;
  ASSERT_OK(map_frame(f1, kInit, a, kW));
  *at(a) = 1;
  ASSERT_EQ(*at(a), 1);
  ASSERT_OK(frame_unmap(f1));
  ASSERT_OK(frame_unmap(f2));
  ASSERT_OK(frame_map(f2, kInit, a, 0));
  ASSERT_EQ(*at(a), 2);
}

MU_TEST(vspace, remap_executable_runs_new_code) {
  // mov $0x2a, %eax; ret. Written through a writable mapping, run through an executable one.
  static const uint8_t kCode[] = {0xB8, 0x2A, 0x00, 0x00, 0x00, 0xC3};
  NEW_OBJECT(frame, Frame4K);
  NEW_COPY(copy, frame, mu::kRightsAll);
  const uint64_t w = alloc_vaddr(kPage);
  const uint64_t x = alloc_vaddr(kPage);
  ASSERT_OK(map_frame(frame, kInit, w, kW));
  volatile uint8_t* code = reinterpret_cast<volatile uint8_t*>(w);
  for (unsigned i = 0; i < sizeof(kCode); ++i) code[i] = kCode[i];
  ASSERT_OK(map_frame(copy, kInit, x, 0));
  ASSERT_OK(frame_remap(copy, kX));  // NX cleared in place (and the TLB entry dropped)
  auto fn = reinterpret_cast<int (*)()>(x);
  ASSERT_EQ(fn(), 42);
  // And the writable mapping can become executable after W is dropped.
  ASSERT_OK(frame_remap(frame, kX));
  auto fn2 = reinterpret_cast<int (*)()>(w);
  ASSERT_EQ(fn2(), 42);
}

MU_TEST(vspace, frame_address_reports_physical_memory) {
  NEW_OBJECT(f1, Frame4K);
  NEW_OBJECT(f2, Frame4K);
  NEW_COPY(ro, f1, mu::kRightRead);
  const int64_t p1 = frame_address(f1);
  const int64_t p2 = frame_address(f2);
  ASSERT_TRUE(p1 > 0 && p2 > 0);
  ASSERT_EQ(p1 & (kPage - 1), 0);
  ASSERT_NE(p1, p2);
  ASSERT_EQ(frame_address(ro), p1);
  // Inside the boot untyped the case's arena was carved from.
  const mu::InitBootCaps& caps = boot_caps();
  const uint64_t index = arena_parent() - caps.untyped.first;
  const uint64_t base = caps.untyped_paddr[index];
  const uint64_t size = uint64_t{1} << caps.untyped_size_bits[index];
  ASSERT_TRUE(static_cast<uint64_t>(p1) >= base && static_cast<uint64_t>(p1) < base + size);
}

MU_TEST(vspace, kernel_reads_read_only_mapping) {
  // copy_from_user goes through the same translation: DebugWrite from a read-only mapping.
  NEW_OBJECT(frame, Frame4K);
  NEW_COPY(ro, frame, mu::kRightRead);
  const uint64_t w = alloc_vaddr(kPage);
  const uint64_t r = alloc_vaddr(kPage);
  ASSERT_OK(map_frame(frame, kInit, w, kW));
  const char text[] = "vspace: read through a read-only mapping\n";
  for (unsigned i = 0; i < sizeof(text) - 1; ++i) reinterpret_cast<volatile char*>(w)[i] = text[i];
  ASSERT_OK(map_frame(ro, kInit, r, 0));
  ASSERT_EQ(debug_write(reinterpret_cast<const void*>(r), sizeof(text) - 1), sizeof(text) - 1);
}

MU_TEST(vspace, kernel_cannot_write_read_only_mapping) {
  // copy_to_user must honour the missing W bit (CR0.WP): TcbReadRegisters into a read-only page.
  NEW_OBJECT(frame, Frame4K);
  NEW_COPY(ro, frame, mu::kRightRead);
  const uint64_t w = alloc_vaddr(kPage);
  const uint64_t r = alloc_vaddr(kPage);
  ASSERT_OK(map_frame(frame, kInit, w, kW));
  ASSERT_OK(map_frame(ro, kInit, r, 0));
  *at(w) = 0x5A5A;
  auto* out = reinterpret_cast<mu::UserRegisters*>(r);
  ASSERT_STATUS(tcb_read_registers(mu::kInitSlotTcb, out), BadAddress);
  ASSERT_EQ(*at(w), 0x5A5A);
  ASSERT_OK(tcb_read_registers(mu::kInitSlotTcb, reinterpret_cast<mu::UserRegisters*>(w)));
}

// ---------------------------------------------------------------- delete and revoke

MU_TEST(vspace, delete_of_mapped_cap_unmaps) {
  NEW_OBJECT(frame, Frame4K);
  NEW_OBJECT(other, Frame4K);
  const uint64_t a = alloc_vaddr(kPage);
  ASSERT_OK(map_frame(frame, kInit, a, kW));
  ASSERT_STATUS(frame_map(other, kInit, a, 0), Busy);
  ASSERT_OK(cap_delete(kSelf, frame));
  ASSERT_OK(frame_map(other, kInit, a, kW));
  *at(a) = 5;
  ASSERT_EQ(*at(a), 5);
}

MU_TEST(vspace, delete_of_unmapped_copy_keeps_mapping) {
  NEW_OBJECT(frame, Frame4K);
  NEW_OBJECT(other, Frame4K);
  NEW_COPY(copy, frame, mu::kRightsAll);
  const uint64_t a = alloc_vaddr(kPage);
  ASSERT_OK(map_frame(frame, kInit, a, kW));
  *at(a) = 77;
  ASSERT_OK(cap_delete(kSelf, copy));
  ASSERT_EQ(*at(a), 77);
  ASSERT_STATUS(frame_map(other, kInit, a, 0), Busy);
}

MU_TEST(vspace, revoke_unmaps_every_copy) {
  NEW_OBJECT(frame, Frame4K);
  NEW_OBJECT(other, Frame4K);
  uint64_t addr[4];
  uint64_t parent = frame;
  for (int i = 0; i < 4; ++i) {
    const uint64_t c = copy_of(i % 2 == 0 ? frame : parent);  // children and grandchildren
    ASSERT_NE(c, 0);
    addr[i] = alloc_vaddr(kPage);
    ASSERT_OK(map_frame(c, kInit, addr[i], kW));
    parent = c;
  }
  const uint64_t own = alloc_vaddr(kPage);
  ASSERT_OK(map_frame(frame, kInit, own, kW));
  *at(own) = 31;
  ASSERT_EQ(*at(addr[3]), 31);
  ASSERT_OK(cap_revoke(kSelf, frame));
  for (int i = 0; i < 4; ++i) {
    ASSERT_OK(frame_map(other, kInit, addr[i], 0));  // each address is free again
    ASSERT_OK(frame_unmap(other));
  }
  ASSERT_EQ(*at(own), 31);  // the revoked cap keeps its own mapping
  ASSERT_STATUS(frame_map(other, kInit, own, 0), Busy);
}

MU_TEST(vspace, delete_of_mapped_table_unlinks_it) {
  NEW_OBJECT(vs, VSpace);
  NEW_OBJECT(frame, Frame4K);
  NEW_OBJECT(pdpt, Pdpt);
  NEW_OBJECT(pdpt2, Pdpt);
  ASSERT_OK(page_table_map(pdpt, vs, kFar));
  NEW_COPY(copy, pdpt, mu::kRightsAll);
  ASSERT_OK(cap_delete(kSelf, copy));  // an unmapped copy: nothing changes
  ASSERT_STATUS(page_table_map(pdpt2, vs, kFar), Busy);
  ASSERT_OK(cap_delete(kSelf, pdpt));
  ASSERT_OK(page_table_map(pdpt2, vs, kFar));
  ASSERT_STATUS(frame_map(frame, vs, kFar, 0), MissingPageTable);  // pdpt2 came empty
}

MU_TEST(vspace, page_table_unmap_and_map_elsewhere) {
  NEW_OBJECT(frame, Frame4K);
  NEW_OBJECT(pt, PageTable);
  const uint64_t a = alloc_large_vaddr(kLarge);
  const uint64_t b = alloc_large_vaddr(kLarge);
  ASSERT_OK(map_tables(kInit, a, 2));
  ASSERT_OK(map_tables(kInit, b, 2));
  ASSERT_STATUS(page_table_unmap(pt), NotMapped);
  ASSERT_OK(page_table_map(pt, kInit, a));
  ASSERT_OK(frame_map(frame, kInit, a, kW));
  *at(a) = 12;
  ASSERT_OK(page_table_unmap(pt));
  ASSERT_EQ(word0_of(pt), 0);
  ASSERT_STATUS(page_table_unmap(pt), NotMapped);
  // The frame's record now leads nowhere: remap refuses, a new map needs an unmap first.
  ASSERT_STATUS(frame_remap(frame, 0), NotMapped);
  ASSERT_OK(page_table_map(pt, kInit, b));
  ASSERT_STATUS(frame_map(frame, kInit, b, 0), Busy);
  ASSERT_OK(frame_unmap(frame));
  ASSERT_OK(frame_map(frame, kInit, b + kPage, 0));
  ASSERT_EQ(at(b + kPage)[0], 12);
  // The table came back empty: the old slot of the frame is not mapped at b.
  NEW_OBJECT(other, Frame4K);
  ASSERT_OK(frame_map(other, kInit, b, 0));
}

// ---------------------------------------------------------------- VSpaces and ASIDs

MU_TEST(vspace, vspace_delete_leaves_mappings_inert) {
  NEW_OBJECT(vs, VSpace);
  NEW_OBJECT(frame, Frame4K);
  NEW_OBJECT(pdpt, Pdpt);
  ASSERT_OK(map_tables(vs, kFar, 3));
  ASSERT_OK(frame_map(frame, vs, kFar, kW));
  ASSERT_OK(page_table_map(pdpt, vs, kFar << 2));
  ASSERT_OK(cap_delete(kSelf, vs));
  ASSERT_STATUS(frame_remap(frame, 0), NotMapped);
  ASSERT_STATUS(frame_map(frame, kInit, alloc_vaddr(kPage), 0), Busy);  // until unmapped
  ASSERT_OK(frame_unmap(frame));
  ASSERT_OK(map_frame(frame, kInit, alloc_vaddr(kPage), 0));
  ASSERT_OK(page_table_unmap(pdpt));
}

MU_TEST(vspace, asids_are_reused_after_vspace_delete) {
  // More VSpaces over time than there are ASIDs (4095): each delete must free its ASID.
  const uint64_t ut = new_untyped(12);
  if (ut == 0) return;
  const uint64_t slot = alloc_slot();
  ASSERT_NE(slot, 0);
  uint64_t first_asid = 0;
  bool reused = false;
  for (int i = 0; i < 4200; ++i) {
    ASSERT_OK(untyped_retype(ut, ObjectType::VSpace, 0, kSelf, slot, 1));
    const uint64_t asid = word0_of(slot);
    ASSERT_TRUE(asid >= 1 && asid < 4096);
    if (i == 0) first_asid = asid;
    if (i > 0 && asid == first_asid) reused = true;
    ASSERT_OK(cap_delete(kSelf, slot));
  }
  ASSERT_TRUE(reused);
  // The last one still works as an address space.
  ASSERT_OK(untyped_retype(ut, ObjectType::VSpace, 0, kSelf, slot, 1));
  NEW_OBJECT(pdpt, Pdpt);
  ASSERT_OK(page_table_map(pdpt, slot, kFar));
}

MU_TEST(vspace, vspace_caps_share_one_asid) {
  NEW_OBJECT(vs, VSpace);
  NEW_COPY(copy, vs, mu::kRightRead);
  ASSERT_EQ(word0_of(copy), word0_of(vs));
  ASSERT_NE(word0_of(vs), word0_of(kInit));
  NEW_OBJECT(pdpt, Pdpt);
  ASSERT_OK(page_table_map(pdpt, copy, kFar));
  ASSERT_OK(cap_delete(kSelf, vs));  // the copy keeps the VSpace alive
  NEW_OBJECT(pd, PageDirectory);
  ASSERT_OK(page_table_map(pd, copy, kFar));
}
