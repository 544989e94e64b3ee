// The portable part of VSpace objects: the ASID table and the page-table walks behind map/unmap,
// over ObjectMemory and a small paging-hardware seam, so host tests can run it. The kernel's
// instance and the vspace.h entry points are in vspace.cc.
#pragma once

#include <stdint.h>

#include "mu/syscall.h"
#include "object/capability.h"
#include "object/vspace.h"

namespace kernel::object {

// What the walks need from the CPU. Only this CPU exists (big kernel lock, no PCID): an address
// space that is not loaded holds no TLB entries, because loading it flushes them.
class PagingHardware {
 public:
  // Physical address of the kernel's PML4 (entries 256-511 are shared by every address space).
  virtual uint64_t kernel_root() = 0;
  // Physical address of the PML4 loaded in CR3.
  virtual uint64_t loaded_root() = 0;
  // Drops the loaded space's translation of `vaddr` (INVLPG, Intel SDM vol 3A §4.10.4.1).
  virtual void invalidate_page(uint64_t vaddr) = 0;
  // Drops all of the loaded space's translations and paging-structure caches (CR3 reload).
  virtual void flush_loaded() = 0;
  // Makes sure `root` is not in CR3 (loads the kernel's PML4 if it is).
  virtual void release_root(uint64_t root) = 0;

 protected:
  ~PagingHardware() = default;
};

class VSpaceTable {
 public:
  VSpaceTable(ObjectMemory& memory, PagingHardware& hardware)
      : memory_(memory), hardware_(hardware) {}

  // The vspace.h operations (documented there and in vspace_core.cc).
  [[nodiscard]] bool asids_available(uint64_t count) const;
  void created(Capability* cap);
  void destroyed(const Capability& cap);
  void mapping_cap_deleted(const Capability& cap);
  [[nodiscard]] mu::Status map_page_table(Slot* table, Slot* vspace, uint64_t vaddr);
  [[nodiscard]] mu::Status unmap_page_table(Slot* table);
  [[nodiscard]] mu::Status map_frame(Slot* frame, Slot* vspace, uint64_t vaddr, uint64_t flags);
  [[nodiscard]] mu::Status unmap_frame(Slot* frame);
  [[nodiscard]] mu::Status remap_frame(Slot* frame, uint64_t flags);
  [[nodiscard]] mu::Status frame_address(const Slot* frame, uint64_t* out) const;

  // PML4 physical address of a live ASID, 0 otherwise (tests; the TCB code may use it).
  [[nodiscard]] uint64_t root_of(uint64_t asid) const;
  [[nodiscard]] uint64_t live_count() const { return live_; }

 private:
  struct Walk;  // vspace_core.cc

  [[nodiscard]] uint64_t* table_at(uint64_t phys) {
    return static_cast<uint64_t*>(memory_.to_virtual(phys));
  }
  [[nodiscard]] mu::Status live_root(const Capability& vspace, uint64_t* root) const;
  [[nodiscard]] mu::Status find_slot(uint64_t root, uint64_t vaddr, unsigned level,
                                     uint64_t** entry);
  [[nodiscard]] uint64_t* recorded_entry(const Capability& cap, uint64_t* root);
  void clear_entry(uint64_t root, uint64_t* entry, uint64_t vaddr, bool table);
  void unlink_table(const Capability& cap);

  ObjectMemory& memory_;
  PagingHardware& hardware_;
  uint64_t roots_[kMaxAsids] = {};  // PML4 physical address per ASID; 0 = free (ASID 0 unused)
  uint64_t next_asid_ = 1;          // where the search for a free ASID starts (next fit)
  uint64_t live_ = 0;
};

}  // namespace kernel::object
