// Address-space calls: PageTableMap/Unmap, FrameMap/Unmap/Remap, FrameAddress.
//
// Error order of every call: first the capability arguments in argument order (InvalidSlot,
// SlotEmpty, WrongType: a table argument must be a Pdpt, PageDirectory or PageTable, a frame
// argument a Frame4K or Frame2M, a vspace argument a VSpace), then the operation's own checks in
// the order documented at each function of object/vspace_core.cc:
//   PageTableMap:  IllegalOperation (VSpace without ASID), InvalidArgument (vaddr not in the user
//                  half), Busy (table already mapped), MissingPageTable, Busy (entry in use)
//   PageTableUnmap: NotMapped
//   FrameMap:      IllegalOperation, InvalidArgument (flags), InsufficientRights,
//                  InvalidArgument (vaddr), Busy (frame cap mapped), MissingPageTable, Busy
//   FrameUnmap:    NotMapped
//   FrameRemap:    InvalidArgument (flags), InsufficientRights, NotMapped
//   FrameAddress:  InsufficientRights (no read right); returns the physical address
// Nothing changes unless the call succeeds.
#include "console/boot_screen.h"
#include "object/kernel_objects.h"
#include "object/vspace.h"
#include "syscall/syscall.h"

namespace kernel::syscall {
namespace {

using object::ObjectType;
using object::Slot;

int64_t result(mu::Status s) { return mu::status_value(s); }

// A capability of one of the `count` types in `types`.
mu::Status lookup_any(uint64_t cptr, const ObjectType* types, unsigned count, Slot** out) {
  Slot* slot = nullptr;
  const mu::Status s = object::lookup_slot(cptr, &slot);
  if (s != mu::Status::Ok) return s;
  if (slot->empty()) return mu::Status::SlotEmpty;
  for (unsigned i = 0; i < count; ++i) {
    if (slot->cap.type == types[i]) {
      *out = slot;
      return mu::Status::Ok;
    }
  }
  return mu::Status::WrongType;
}

constexpr ObjectType kTableTypes[] = {ObjectType::Pdpt, ObjectType::PageDirectory,
                                      ObjectType::PageTable};
constexpr ObjectType kFrameTypes[] = {ObjectType::Frame4K, ObjectType::Frame2M};

mu::Status lookup_table(uint64_t cptr, Slot** out) { return lookup_any(cptr, kTableTypes, 3, out); }
mu::Status lookup_frame(uint64_t cptr, Slot** out) { return lookup_any(cptr, kFrameTypes, 2, out); }

}  // namespace

// (table, vspace, vaddr)
int64_t sys_page_table_map(const SyscallArgs& a) {
  Slot* table = nullptr;
  Slot* vspace = nullptr;
  mu::Status s = lookup_table(a.a0, &table);
  if (s == mu::Status::Ok) s = object::lookup_cap(a.a1, ObjectType::VSpace, &vspace);
  if (s == mu::Status::Ok) s = object::map_page_table(table, vspace, a.a2);
  return result(s);
}

// (table)
int64_t sys_page_table_unmap(const SyscallArgs& a) {
  Slot* table = nullptr;
  mu::Status s = lookup_table(a.a0, &table);
  if (s == mu::Status::Ok) s = object::unmap_page_table(table);
  return result(s);
}

// (frame, vspace, vaddr, flags)
int64_t sys_frame_map(const SyscallArgs& a) {
  Slot* frame = nullptr;
  Slot* vspace = nullptr;
  mu::Status s = lookup_frame(a.a0, &frame);
  if (s == mu::Status::Ok) s = object::lookup_cap(a.a1, ObjectType::VSpace, &vspace);
  if (s == mu::Status::Ok) s = object::map_frame(frame, vspace, a.a2, a.a3);
  // A program that maps the framebuffer takes the screen over from the kernel's console.
  if (s == mu::Status::Ok) {
    const uint64_t bytes = frame->cap.type == ObjectType::Frame2M ? uint64_t{1} << 21 : 4096;
    boot_screen_frame_mapped(frame->cap.object, bytes);
  }
  return result(s);
}

// (frame)
int64_t sys_frame_unmap(const SyscallArgs& a) {
  Slot* frame = nullptr;
  mu::Status s = lookup_frame(a.a0, &frame);
  if (s == mu::Status::Ok) s = object::unmap_frame(frame);
  return result(s);
}

// (frame, flags)
int64_t sys_frame_remap(const SyscallArgs& a) {
  Slot* frame = nullptr;
  mu::Status s = lookup_frame(a.a0, &frame);
  if (s == mu::Status::Ok) s = object::remap_frame(frame, a.a1);
  return result(s);
}

// (frame) -> physical address
int64_t sys_frame_address(const SyscallArgs& a) {
  Slot* frame = nullptr;
  uint64_t address = 0;
  mu::Status s = lookup_frame(a.a0, &frame);
  if (s == mu::Status::Ok) s = object::frame_address(frame, &address);
  return s == mu::Status::Ok ? static_cast<int64_t>(address) : result(s);
}

}  // namespace kernel::syscall
