// Capability operations on slots: copy, mint, move, delete, revoke, and boot-time install.
#pragma once

#include <stdint.h>

#include "object/capability.h"
#include "object/untyped.h"

namespace kernel::object {

// Every operation checks all of its arguments before it changes anything and reports the first
// problem; a failed call leaves every slot, link and watermark as it was. Caller input is never
// asserted on. Locking: none inside; the caller holds the big kernel lock.

// Copies the capability in `src` to the empty slot `dst` with rights reduced to src & rights_mask.
// The copy becomes a derivation-tree child of `src`. Untyped and Reply caps cannot be copied.
// Errors: InvalidSlot, SlotEmpty, SlotOccupied, InvalidArgument (mask bits outside kRightsAll),
// IllegalOperation.
[[nodiscard]] CapStatus cap_copy(const SlotRef& src, const SlotRef& dst, uint8_t rights_mask);

// Like cap_copy, and also sets `badge` when it is non-zero. Only Endpoint and Notification caps
// carry badges (WrongType otherwise); a cap that already has a badge cannot get another
// (AlreadyBadged), so a server can trust that a badge it handed out stays the one it chose.
[[nodiscard]] CapStatus cap_mint(const SlotRef& src, const SlotRef& dst, uint8_t rights_mask,
                                 uint64_t badge);

// Moves the capability and its place in the derivation tree from `src` to the empty `dst`.
// Errors: InvalidSlot, SlotEmpty, SlotOccupied (including src == dst).
[[nodiscard]] CapStatus cap_move(const SlotRef& src, const SlotRef& dst);

// Deletes the capability in `slot`. Its derived caps stay, re-attached to its parent. If it was
// the last cap to its object the object is destroyed (DestroyHook), a CNode first having every
// slot inside deleted the same way; when an untyped loses its last child its watermark returns to
// 0 so all its memory can be retyped again. Errors: InvalidSlot, SlotEmpty.
[[nodiscard]] CapStatus cap_delete(ObjectContext& ctx, const SlotRef& slot);

// Deletes every capability derived from the one in `slot` (all descendants, deepest first),
// leaving `slot` itself. If the cascade of destroyed CNodes deletes `slot` too, revoke stops
// there. Errors: InvalidSlot, SlotEmpty.
[[nodiscard]] CapStatus cap_revoke(ObjectContext& ctx, const SlotRef& slot);

// Boot only: places an original, parentless capability (untyped, IrqControl, IoPort, boot frames)
// into an empty slot. Errors: InvalidSlot, SlotOccupied, InvalidArgument (null or unknown type;
// an untyped that is misaligned, out of the size range or has a non-zero watermark).
[[nodiscard]] CapStatus cap_install_root(const SlotRef& dst, const Capability& cap);

// The slot-level delete used by cap_delete, cap_revoke and cascades; `slot` must be occupied.
void delete_slot(ObjectContext& ctx, Slot* slot);

}  // namespace kernel::object
