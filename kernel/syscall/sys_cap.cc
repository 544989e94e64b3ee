// Capability-space calls and retype: CapCopy, CapMint, CapMove, CapDelete, CapRevoke,
// CapIdentify, CapIdentifyIn, UntypedRetype (docs/syscalls.md). Each resolves its CNode arguments
// in the caller's CSpace (object/kernel_objects.h), then runs the portable capability operation,
// which checks everything before it changes anything.
#include "arch/x86_64/io_bitmap.h"
#include "object/cap_ops.h"
#include "object/kernel_objects.h"
#include "sched/scheduler.h"
#include "syscall/syscall.h"

namespace kernel::syscall {
namespace {

using object::CapStatus;
using object::SlotRef;

int64_t error(mu::Status s) { return mu::status_value(s); }

// Resolves two (cnode, index) pairs; the first failure wins.
mu::Status two_refs(const SyscallArgs& args, SlotRef* src, SlotRef* dst) {
  const mu::Status s = object::lookup_slot_ref(args.a0, args.a1, src);
  if (s != mu::Status::Ok) return s;
  return object::lookup_slot_ref(args.a2, args.a3, dst);
}

// After a delete or revoke the caller may have lost its own TCB (its thread is then Dead and must
// not return to user mode) or the ports it could use.
int64_t after_delete(CapStatus status) {
  if (sched::current()->state == sched::ThreadState::Dead) sched::exit_current();
  x86::io_bitmap_refresh();
  return object::status_result(status);
}

// What CapIdentify and CapIdentifyIn return for the capability in `slot`: type | rights << 8 |
// size_bits << 16 (SlotEmpty for an empty slot), with the type's words in rdi and rsi (badge,
// untyped watermark, mapping address and ASID, port range...).
int64_t identify(const SyscallArgs& args, const object::Slot* slot) {
  const object::Capability& cap = slot->cap;
  if (cap.is_null()) return error(mu::Status::SlotEmpty);
  args.frame()->rdi = cap.word0;
  args.frame()->rsi = cap.word1;
  return static_cast<int64_t>(static_cast<uint64_t>(cap.type) |
                              (static_cast<uint64_t>(cap.rights.bits()) << 8) |
                              (static_cast<uint64_t>(cap.size_bits) << 16));
}

}  // namespace

// CapCopy(src_cnode, src_index, dst_cnode, dst_index, rights_mask)
int64_t sys_cap_copy(const SyscallArgs& args) {
  SlotRef src, dst;
  const mu::Status s = two_refs(args, &src, &dst);
  if (s != mu::Status::Ok) return error(s);
  if (args.a4 > 0xFF) return error(mu::Status::InvalidArgument);
  return object::status_result(object::cap_copy(src, dst, static_cast<uint8_t>(args.a4)));
}

// CapMint(src_cnode, src_index, dst_cnode, dst_index, rights_mask, badge)
int64_t sys_cap_mint(const SyscallArgs& args) {
  SlotRef src, dst;
  const mu::Status s = two_refs(args, &src, &dst);
  if (s != mu::Status::Ok) return error(s);
  if (args.a4 > 0xFF) return error(mu::Status::InvalidArgument);
  return object::status_result(object::cap_mint(src, dst, static_cast<uint8_t>(args.a4), args.a5));
}

// CapMove(src_cnode, src_index, dst_cnode, dst_index)
int64_t sys_cap_move(const SyscallArgs& args) {
  SlotRef src, dst;
  const mu::Status s = two_refs(args, &src, &dst);
  if (s != mu::Status::Ok) return error(s);
  return object::status_result(object::cap_move(src, dst));
}

// CapDelete(cnode, index)
int64_t sys_cap_delete(const SyscallArgs& args) {
  SlotRef ref;
  const mu::Status s = object::lookup_slot_ref(args.a0, args.a1, &ref);
  if (s != mu::Status::Ok) return error(s);
  return after_delete(object::cap_delete(object::kernel_context(), ref));
}

// CapRevoke(cnode, index)
int64_t sys_cap_revoke(const SyscallArgs& args) {
  SlotRef ref;
  const mu::Status s = object::lookup_slot_ref(args.a0, args.a1, &ref);
  if (s != mu::Status::Ok) return error(s);
  return after_delete(object::cap_revoke(object::kernel_context(), ref));
}

// CapIdentify(cptr): a slot of the caller's root CNode.
int64_t sys_cap_identify(const SyscallArgs& args) {
  object::Slot* slot = nullptr;
  const mu::Status s = object::lookup_slot(args.a0, &slot);
  if (s != mu::Status::Ok) return error(s);
  return identify(args, slot);
}

// CapIdentifyIn(cnode, index): a slot of any CNode the caller holds a capability to (or of its
// root, kSelfCNode). Like every CNode argument it needs no particular right: whoever holds the
// CNode cap may already copy, move and delete what it holds, so reading it reveals nothing more.
int64_t sys_cap_identify_in(const SyscallArgs& args) {
  object::CNode cnode;
  const mu::Status s = object::lookup_cnode(args.a0, &cnode);
  if (s != mu::Status::Ok) return error(s);
  const object::Slot* slot = cnode.slot(args.a1);
  if (slot == nullptr) return error(mu::Status::InvalidSlot);
  return identify(args, slot);
}

// UntypedRetype(untyped, type, user_bits, dst_cnode, dst_index, count)
int64_t sys_untyped_retype(const SyscallArgs& args) {
  object::Slot* ignored = nullptr;
  mu::Status s = object::lookup_slot(args.a0, &ignored);
  if (s != mu::Status::Ok) return error(s);
  SlotRef untyped{object::cspace_root(sched::current()), args.a0};
  SlotRef dst;
  s = object::lookup_slot_ref(args.a3, args.a4, &dst);
  if (s != mu::Status::Ok) return error(s);
  // Range checks before narrowing the arguments to the core's types.
  if (args.a1 == 0 || args.a1 >= mu::kObjectTypeCount) return error(mu::Status::InvalidType);
  if (args.a2 > 64) return error(mu::Status::InvalidSize);
  object::RetypeRequest request;
  request.type = static_cast<object::ObjectType>(args.a1);
  request.user_bits = static_cast<unsigned>(args.a2);
  request.dest = dst.cnode;
  request.dest_index = dst.index;
  request.count = args.a5;
  return object::status_result(object::kernel_retype(untyped, request));
}

}  // namespace kernel::syscall
