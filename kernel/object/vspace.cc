// The kernel's VSpace table: vspace.h over the direct map and this CPU's CR3 and TLB.
#include "object/vspace.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/percpu.h"
#include "mu/paging.h"
#include "object/kernel_objects.h"
#include "object/vspace_core.h"
#include "sched/scheduler.h"

namespace kernel::object {
namespace {

class X86Paging final : public PagingHardware {
 public:
  uint64_t kernel_root() override {
    // Before sched::init records it, the kernel's own tables are the ones loaded.
    const uint64_t root = sched::kernel_cr3();
    return (root != 0 ? root : x86::read_cr3()) & mu::kPteAddressMask;
  }
  uint64_t loaded_root() override { return x86::this_cpu().loaded_cr3 & mu::kPteAddressMask; }
  void invalidate_page(uint64_t vaddr) override {
    asm volatile("invlpg (%0)" : : "r"(vaddr) : "memory");
  }
  void flush_loaded() override { x86::write_cr3(x86::read_cr3()); }
  void release_root(uint64_t root) override { sched::release_address_space(root); }
};

X86Paging g_paging;
VSpaceTable g_vspaces(kernel_memory(), g_paging);

}  // namespace

bool vspace_asids_available(uint64_t count) { return g_vspaces.asids_available(count); }
void vspace_created(Capability* cap) { g_vspaces.created(cap); }
void vspace_destroyed(const Capability& cap) { g_vspaces.destroyed(cap); }
void mapping_cap_deleted(const Capability& cap) { g_vspaces.mapping_cap_deleted(cap); }

mu::Status map_page_table(Slot* table, Slot* vspace, uint64_t vaddr) {
  return g_vspaces.map_page_table(table, vspace, vaddr);
}
mu::Status unmap_page_table(Slot* table) { return g_vspaces.unmap_page_table(table); }
mu::Status map_frame(Slot* frame, Slot* vspace, uint64_t vaddr, uint64_t flags) {
  return g_vspaces.map_frame(frame, vspace, vaddr, flags);
}
mu::Status unmap_frame(Slot* frame) { return g_vspaces.unmap_frame(frame); }
mu::Status remap_frame(Slot* frame, uint64_t flags) { return g_vspaces.remap_frame(frame, flags); }
mu::Status frame_address(const Slot* frame, uint64_t* out) {
  return g_vspaces.frame_address(frame, out);
}
uint64_t vspace_root(uint64_t asid) { return g_vspaces.root_of(asid); }

}  // namespace kernel::object
