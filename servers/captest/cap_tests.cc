// Capability-space and retype tests: CapCopy, CapMint, CapMove, CapDelete, CapRevoke,
// CapIdentify and UntypedRetype, including every error they document (docs/syscalls.md).
// Objects come from the case's arena (support.h), which is revoked after each case.
#include "framework.h"
#include "support.h"

using namespace mu::user;
using namespace captest;
using mu::ObjectType;

namespace {

constexpr uint64_t kSelf = mu::kSelfCNode;
constexpr uint64_t kRootSlots = uint64_t{1} << mu::kInitCNodeRadix;
constexpr uint8_t kR = mu::kRightRead;
constexpr uint8_t kW = mu::kRightWrite;
constexpr uint8_t kG = mu::kRightGrant;
constexpr uint8_t kGR = mu::kRightGrantReply;
constexpr uint8_t kAll = mu::kRightsAll;

int64_t type_of(uint64_t slot) {
  const int64_t packed = cap_identify(slot);
  return packed < 0 ? packed : (packed & 0xFF);
}
int64_t rights_of(uint64_t slot) {
  const int64_t packed = cap_identify(slot);
  return packed < 0 ? packed : ((packed >> 8) & 0xFF);
}
int64_t size_bits_of(uint64_t slot) {
  const int64_t packed = cap_identify(slot);
  return packed < 0 ? packed : ((packed >> 16) & 0xFF);
}
uint64_t word0_of(uint64_t slot) {
  uint64_t w0 = ~uint64_t{0};
  (void)cap_identify(slot, &w0);
  return w0;
}

}  // namespace

// Declares `var` as a fresh object of `type` from the arena; returns from the test on failure.
#define NEW_OBJECT(var, type, bits)                        \
  const uint64_t var = new_object(ObjectType::type, bits); \
  if (var == 0) return
// CapIdentify reports an empty slot as type Null with no rights or size: the value 0.
#define ASSERT_EMPTY(slot) ASSERT_EQ(cap_identify(slot), 0)
#define NEW_SLOT(var)                \
  const uint64_t var = alloc_slot(); \
  ASSERT_NE(var, 0)

// ---------------------------------------------------------------- CapIdentify

MU_TEST(cap, identify_init_caps) {
  ASSERT_EQ(type_of(mu::kInitSlotCNode), ObjectType::CNode);
  ASSERT_EQ(size_bits_of(mu::kInitSlotCNode), mu::kInitCNodeRadix);
  ASSERT_EQ(type_of(mu::kInitSlotTcb), ObjectType::Tcb);
  ASSERT_EQ(type_of(mu::kInitSlotVSpace), ObjectType::VSpace);
  ASSERT_EQ(type_of(mu::kInitSlotIrqControl), ObjectType::IrqControl);
  ASSERT_EQ(type_of(mu::kInitSlotIoPort), ObjectType::IoPort);
  ASSERT_EQ(type_of(mu::kInitSlotIpcBuffer), ObjectType::Frame4K);
  ASSERT_EQ(word0_of(mu::kInitSlotIpcBuffer), mu::kInitIpcBufferAddr);
  uint64_t first = 1, last = 0;
  ASSERT_TRUE(cap_identify(mu::kInitSlotIoPort, &first, &last) >= 0);
  ASSERT_EQ(first, 0);
  ASSERT_EQ(last, 0xFFFF);
}

MU_TEST(cap, identify_empty_and_invalid_slots) {
  ASSERT_EMPTY(mu::kInitSlotNull);
  NEW_SLOT(free_slot);
  ASSERT_EMPTY(free_slot);
  ASSERT_STATUS(cap_identify(kRootSlots), InvalidSlot);
  ASSERT_STATUS(cap_identify(kRootSlots + 12345), InvalidSlot);
  ASSERT_STATUS(cap_identify(kSelf), InvalidSlot);
  ASSERT_STATUS(cap_identify(uint64_t{1} << 63), InvalidSlot);
}

MU_TEST(cap, identify_boot_records) {
  const mu::InitBootCaps& caps = boot_caps();
  ASSERT_TRUE(caps.untyped.count > 0);
  ASSERT_TRUE(caps.untyped.count <= mu::kMaxBootUntyped);
  for (uint64_t i = 0; i < caps.untyped.count; ++i) {
    CapInfo info{};
    ASSERT_TRUE(cap_identify(caps.untyped.first + i, &info) >= 0);
    ASSERT_EQ(info.type, ObjectType::Untyped);
    ASSERT_EQ(info.size_bits, caps.untyped_size_bits[i]);
    ASSERT_EQ(caps.untyped_paddr[i] & ((uint64_t{1} << info.size_bits) - 1), 0);
  }
  for (uint64_t i = 0; i < caps.initrd_frames.count; ++i) {
    ASSERT_EQ(type_of(caps.initrd_frames.first + i), ObjectType::Frame4K);
  }
  ASSERT_TRUE(caps.image_frames.count > 0);
  for (uint64_t i = 0; i < caps.image_frames.count; ++i) {
    CapInfo info{};
    ASSERT_TRUE(cap_identify(caps.image_frames.first + i, &info) >= 0);
    ASSERT_EQ(info.type, ObjectType::Frame4K);
    ASSERT_NE(info.word0, 0);  // each is mapped, at its address
  }
  ASSERT_TRUE(caps.first_free_slot >= mu::kInitSlotFirstFree);
  for (uint64_t slot = caps.first_free_slot; slot < kRootSlots; ++slot) {
    ASSERT_EMPTY(slot);
  }
}

// ---------------------------------------------------------------- CapCopy

MU_TEST(cap, copy_creates_same_object) {
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_SLOT(dst);
  ASSERT_OK(cap_copy(kSelf, ep, kSelf, dst, kAll));
  ASSERT_EQ(type_of(dst), ObjectType::Endpoint);
  ASSERT_EQ(rights_of(dst), kAll);
  ASSERT_EQ(type_of(ep), ObjectType::Endpoint);  // the source stays
}

MU_TEST(cap, copy_masks_rights) {
  NEW_OBJECT(ntfn, Notification, 0);
  const uint8_t masks[] = {0, kR, kW, kG, kGR, kR | kW, kR | kG | kGR, kAll};
  for (uint8_t mask : masks) {
    NEW_SLOT(dst);
    ASSERT_OK(cap_copy(kSelf, ntfn, kSelf, dst, mask));
    ASSERT_EQ(rights_of(dst), mask);
  }
}

MU_TEST(cap, copy_rights_never_grow) {
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_SLOT(read_only);
  NEW_SLOT(again);
  NEW_SLOT(third);
  ASSERT_OK(cap_copy(kSelf, ep, kSelf, read_only, kR));
  ASSERT_OK(cap_copy(kSelf, read_only, kSelf, again, kAll));
  ASSERT_EQ(rights_of(again), kR);
  ASSERT_OK(cap_copy(kSelf, again, kSelf, third, kW));  // R & W = nothing
  ASSERT_EQ(rights_of(third), 0);
}

MU_TEST(cap, copy_invalid_slots) {
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_SLOT(dst);
  ASSERT_STATUS(cap_copy(kSelf, kRootSlots, kSelf, dst, kAll), InvalidSlot);
  ASSERT_STATUS(cap_copy(kSelf, ep, kSelf, kRootSlots, kAll), InvalidSlot);
  ASSERT_STATUS(cap_copy(kSelf, ~uint64_t{0} - 1, kSelf, dst, kAll), InvalidSlot);
  ASSERT_STATUS(cap_copy(kSelf, ep, kSelf, uint64_t{1} << 40, kAll), InvalidSlot);
  ASSERT_EMPTY(dst);
}

MU_TEST(cap, copy_source_empty) {
  NEW_SLOT(src);
  NEW_SLOT(dst);
  ASSERT_STATUS(cap_copy(kSelf, src, kSelf, dst, kAll), SlotEmpty);
  ASSERT_STATUS(cap_copy(kSelf, mu::kInitSlotNull, kSelf, dst, kAll), SlotEmpty);
  ASSERT_EMPTY(dst);
}

MU_TEST(cap, copy_destination_occupied) {
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_OBJECT(ntfn, Notification, 0);
  ASSERT_STATUS(cap_copy(kSelf, ep, kSelf, ntfn, kAll), SlotOccupied);
  ASSERT_STATUS(cap_copy(kSelf, ep, kSelf, ep, kAll), SlotOccupied);  // onto itself
  ASSERT_EQ(type_of(ntfn), ObjectType::Notification);
}

MU_TEST(cap, copy_rights_mask_out_of_range) {
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_SLOT(dst);
  ASSERT_STATUS(cap_copy(kSelf, ep, kSelf, dst, kAll | 0x10), InvalidArgument);
  ASSERT_STATUS(cap_copy(kSelf, ep, kSelf, dst, 0x100), InvalidArgument);
  ASSERT_STATUS(cap_copy(kSelf, ep, kSelf, dst, ~uint64_t{0}), InvalidArgument);
  ASSERT_EMPTY(dst);
}

MU_TEST(cap, copy_untyped_and_reply_refused) {
  const uint64_t untyped = new_untyped(12);
  ASSERT_NE(untyped, 0);
  NEW_OBJECT(reply_obj, Reply, 0);
  NEW_SLOT(dst);
  ASSERT_STATUS(cap_copy(kSelf, untyped, kSelf, dst, kAll), IllegalOperation);
  ASSERT_STATUS(cap_copy(kSelf, reply_obj, kSelf, dst, kAll), IllegalOperation);
  ASSERT_STATUS(cap_copy(kSelf, arena(), kSelf, dst, kAll), IllegalOperation);
  ASSERT_EMPTY(dst);
}

MU_TEST(cap, copy_cnode_argument_checked) {
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_SLOT(dst);
  NEW_SLOT(empty);
  // Not a CNode cap: InvalidSlot; an empty slot: SlotEmpty; outside the root: InvalidSlot.
  ASSERT_STATUS(cap_copy(ep, 0, kSelf, dst, kAll), InvalidSlot);
  ASSERT_STATUS(cap_copy(kSelf, ep, ep, 0, kAll), InvalidSlot);
  ASSERT_STATUS(cap_copy(empty, 0, kSelf, dst, kAll), SlotEmpty);
  ASSERT_STATUS(cap_copy(kSelf, ep, empty, 0, kAll), SlotEmpty);
  ASSERT_STATUS(cap_copy(kRootSlots, 0, kSelf, dst, kAll), InvalidSlot);
  ASSERT_STATUS(cap_copy(kSelf, ep, kSelf - 1, 0, kAll), InvalidSlot);
  ASSERT_EMPTY(dst);
}

MU_TEST(cap, self_cnode_and_root_cap_name_the_same_slots) {
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_SLOT(a);
  NEW_SLOT(b);
  // Through init's CNode cap (slot 1) and through kSelfCNode: the same table.
  ASSERT_OK(cap_copy(mu::kInitSlotCNode, ep, kSelf, a, kAll));
  ASSERT_OK(cap_copy(kSelf, a, mu::kInitSlotCNode, b, kR));
  ASSERT_EQ(type_of(b), ObjectType::Endpoint);
  ASSERT_EQ(rights_of(b), kR);
  ASSERT_OK(cap_delete(mu::kInitSlotCNode, b));
  ASSERT_EMPTY(b);
}

MU_TEST(cap, cross_cnode_copy_and_move) {
  NEW_OBJECT(cnode, CNode, 4);  // 16 slots
  NEW_OBJECT(ep, Endpoint, 0);
  ASSERT_EQ(type_of(cnode), ObjectType::CNode);
  ASSERT_EQ(size_bits_of(cnode), 4);
  ASSERT_OK(cap_mint(kSelf, ep, cnode, 3, kR | kW, 77));
  ASSERT_STATUS(cap_mint(kSelf, ep, cnode, 3, kAll, 0), SlotOccupied);
  ASSERT_OK(cap_move(cnode, 3, cnode, 15));
  ASSERT_STATUS(cap_copy(cnode, 3, kSelf, ep, kAll), SlotEmpty);
  NEW_SLOT(back);
  ASSERT_OK(cap_copy(cnode, 15, kSelf, back, kAll));
  ASSERT_EQ(type_of(back), ObjectType::Endpoint);
  ASSERT_EQ(rights_of(back), kR | kW);
  ASSERT_EQ(word0_of(back), 77);
  // Indices are checked against the child CNode's own size.
  ASSERT_STATUS(cap_copy(kSelf, ep, cnode, 16, kAll), InvalidSlot);
  ASSERT_STATUS(cap_copy(cnode, 16, kSelf, back, kAll), InvalidSlot);
  ASSERT_OK(cap_delete(cnode, 15));
  ASSERT_STATUS(cap_delete(cnode, 15), SlotEmpty);
}

MU_TEST(cap, copy_of_init_caps_into_child_cnode) {
  NEW_OBJECT(cnode, CNode, 3);
  ASSERT_OK(cap_copy(kSelf, mu::kInitSlotCNode, cnode, 0, kAll));
  ASSERT_OK(cap_copy(kSelf, mu::kInitSlotVSpace, cnode, 1, kAll));
  ASSERT_OK(cap_copy(kSelf, mu::kInitSlotTcb, cnode, 2, kAll));
  // Going through the copy of init's CNode inside the child reaches the root again.
  NEW_SLOT(dst);
  ASSERT_OK(cap_copy(cnode, 0, kSelf, dst, kAll));
  ASSERT_EQ(type_of(dst), ObjectType::CNode);
  ASSERT_OK(cap_copy(dst, mu::kInitSlotTcb, cnode, 3, kR));
  NEW_SLOT(tcb_copy);
  ASSERT_OK(cap_move(cnode, 3, dst, tcb_copy));
  ASSERT_EQ(type_of(tcb_copy), ObjectType::Tcb);
  ASSERT_EQ(rights_of(tcb_copy), kR);
}

// ---------------------------------------------------------------- CapMint

MU_TEST(cap, mint_badge_visible_in_identify) {
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_OBJECT(ntfn, Notification, 0);
  NEW_SLOT(badged_ep);
  NEW_SLOT(badged_ntfn);
  ASSERT_EQ(word0_of(ep), 0);
  ASSERT_OK(cap_mint(kSelf, ep, kSelf, badged_ep, kAll, 0x1234));
  ASSERT_OK(cap_mint(kSelf, ntfn, kSelf, badged_ntfn, kW, ~uint64_t{0}));
  ASSERT_EQ(word0_of(badged_ep), 0x1234);
  ASSERT_EQ(word0_of(badged_ntfn), ~uint64_t{0});
  ASSERT_EQ(rights_of(badged_ntfn), kW);
  ASSERT_EQ(word0_of(ep), 0);  // the source keeps no badge
}

MU_TEST(cap, mint_already_badged) {
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_SLOT(badged);
  NEW_SLOT(dst);
  ASSERT_OK(cap_mint(kSelf, ep, kSelf, badged, kAll, 5));
  ASSERT_STATUS(cap_mint(kSelf, badged, kSelf, dst, kAll, 6), AlreadyBadged);
  ASSERT_STATUS(cap_mint(kSelf, badged, kSelf, dst, kAll, 5), AlreadyBadged);
  ASSERT_EMPTY(dst);
  // Badge 0 means "no new badge": the copy keeps the old one.
  ASSERT_OK(cap_mint(kSelf, badged, kSelf, dst, kR, 0));
  ASSERT_EQ(word0_of(dst), 5);
  NEW_SLOT(copied);
  ASSERT_OK(cap_copy(kSelf, badged, kSelf, copied, kAll));
  ASSERT_EQ(word0_of(copied), 5);
}

MU_TEST(cap, mint_badge_on_other_types) {
  NEW_OBJECT(frame, Frame4K, 0);
  NEW_OBJECT(cnode, CNode, 2);
  NEW_SLOT(dst);
  ASSERT_STATUS(cap_mint(kSelf, frame, kSelf, dst, kAll, 1), WrongType);
  ASSERT_STATUS(cap_mint(kSelf, cnode, kSelf, dst, kAll, 1), WrongType);
  ASSERT_STATUS(cap_mint(kSelf, mu::kInitSlotTcb, kSelf, dst, kAll, 9), WrongType);
  ASSERT_EMPTY(dst);
  // Without a badge, mint is a copy for any copyable type.
  ASSERT_OK(cap_mint(kSelf, frame, kSelf, dst, kR, 0));
  ASSERT_EQ(rights_of(dst), kR);
}

MU_TEST(cap, mint_rights_never_grow) {
  NEW_OBJECT(ep, Endpoint, 0);
  // A chain of mints: each step's rights are the previous step's & the mask, whatever it asks.
  const uint8_t masks[] = {kR | kW | kG, kAll, kR | kG | kGR, kAll, kG, kAll};
  uint64_t prev = ep;
  uint8_t expect = kAll;
  for (unsigned i = 0; i < sizeof(masks); ++i) {
    NEW_SLOT(next);
    ASSERT_OK(cap_mint(kSelf, prev, kSelf, next, masks[i], i == 0 ? 42 : 0));
    expect &= masks[i];
    ASSERT_EQ(rights_of(next), expect);
    ASSERT_EQ(word0_of(next), 42);
    prev = next;
  }
}

MU_TEST(cap, mint_errors) {
  NEW_OBJECT(ep, Endpoint, 0);
  const uint64_t untyped = new_untyped(12);
  ASSERT_NE(untyped, 0);
  NEW_SLOT(dst);
  NEW_SLOT(empty);
  ASSERT_STATUS(cap_mint(kSelf, ep, kSelf, dst, 0x20, 1), InvalidArgument);
  ASSERT_STATUS(cap_mint(kSelf, untyped, kSelf, dst, kAll, 0), IllegalOperation);
  ASSERT_STATUS(cap_mint(kSelf, empty, kSelf, dst, kAll, 1), SlotEmpty);
  ASSERT_STATUS(cap_mint(kSelf, ep, kSelf, ep, kAll, 1), SlotOccupied);
  ASSERT_STATUS(cap_mint(kSelf, ep, kSelf, kRootSlots, kAll, 1), InvalidSlot);
  ASSERT_STATUS(cap_mint(ep, 0, kSelf, dst, kAll, 1), InvalidSlot);
  ASSERT_EMPTY(dst);
}

// ---------------------------------------------------------------- CapMove

MU_TEST(cap, move_keeps_object_rights_and_badge) {
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_SLOT(minted);
  NEW_SLOT(moved);
  ASSERT_OK(cap_mint(kSelf, ep, kSelf, minted, kR | kG, 99));
  ASSERT_OK(cap_move(kSelf, minted, kSelf, moved));
  ASSERT_EMPTY(minted);
  ASSERT_EQ(type_of(moved), ObjectType::Endpoint);
  ASSERT_EQ(rights_of(moved), kR | kG);
  ASSERT_EQ(word0_of(moved), 99);
}

MU_TEST(cap, move_untyped_and_retype_from_new_place) {
  const uint64_t untyped = new_untyped(14);
  ASSERT_NE(untyped, 0);
  NEW_SLOT(moved);
  NEW_SLOT(obj);
  ASSERT_OK(cap_move(kSelf, untyped, kSelf, moved));
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Endpoint, 0, kSelf, obj), SlotEmpty);
  ASSERT_OK(untyped_retype(moved, ObjectType::Endpoint, 0, kSelf, obj));
  ASSERT_EQ(word0_of(moved), 32);
}

MU_TEST(cap, move_errors) {
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_OBJECT(other, Endpoint, 0);
  NEW_SLOT(empty);
  ASSERT_STATUS(cap_move(kSelf, ep, kSelf, ep), SlotOccupied);  // onto itself
  ASSERT_STATUS(cap_move(kSelf, ep, kSelf, other), SlotOccupied);
  ASSERT_STATUS(cap_move(kSelf, empty, kSelf, other), SlotEmpty);
  ASSERT_STATUS(cap_move(kSelf, kRootSlots, kSelf, empty), InvalidSlot);
  ASSERT_STATUS(cap_move(kSelf, ep, kSelf, kRootSlots), InvalidSlot);
  ASSERT_STATUS(cap_move(other, 0, kSelf, empty), InvalidSlot);
  ASSERT_STATUS(cap_move(kSelf, ep, empty, 0), SlotEmpty);
  ASSERT_EQ(type_of(ep), ObjectType::Endpoint);
  ASSERT_EMPTY(empty);
}

MU_TEST(cap, moved_cap_keeps_its_children) {
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_SLOT(copy);
  NEW_SLOT(child);
  NEW_SLOT(moved);
  ASSERT_OK(cap_copy(kSelf, ep, kSelf, copy, kAll));
  ASSERT_OK(cap_copy(kSelf, copy, kSelf, child, kAll));
  ASSERT_OK(cap_move(kSelf, copy, kSelf, moved));
  // The child hangs below the moved cap now: revoking it deletes the child.
  ASSERT_OK(cap_revoke(kSelf, moved));
  ASSERT_EMPTY(child);
  ASSERT_EQ(type_of(moved), ObjectType::Endpoint);
  ASSERT_EQ(type_of(ep), ObjectType::Endpoint);
}

// ---------------------------------------------------------------- CapDelete

MU_TEST(cap, delete_empties_the_slot) {
  NEW_OBJECT(ep, Endpoint, 0);
  ASSERT_OK(cap_delete(kSelf, ep));
  ASSERT_EMPTY(ep);
  ASSERT_STATUS(cap_delete(kSelf, ep), SlotEmpty);
}

MU_TEST(cap, delete_errors) {
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_SLOT(empty);
  ASSERT_STATUS(cap_delete(kSelf, kRootSlots), InvalidSlot);
  ASSERT_STATUS(cap_delete(kSelf, ~uint64_t{0} - 1), InvalidSlot);
  ASSERT_STATUS(cap_delete(kSelf, mu::kInitSlotNull), SlotEmpty);
  ASSERT_STATUS(cap_delete(ep, 0), InvalidSlot);
  ASSERT_STATUS(cap_delete(empty, 0), SlotEmpty);
  ASSERT_EQ(type_of(ep), ObjectType::Endpoint);
}

MU_TEST(cap, delete_parent_keeps_derived_caps) {
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_SLOT(copy);
  NEW_SLOT(grandchild);
  ASSERT_OK(cap_copy(kSelf, ep, kSelf, copy, kAll));
  ASSERT_OK(cap_mint(kSelf, copy, kSelf, grandchild, kR, 3));
  ASSERT_OK(cap_delete(kSelf, copy));
  ASSERT_EQ(type_of(grandchild), ObjectType::Endpoint);
  ASSERT_EQ(word0_of(grandchild), 3);
  // Re-attached to the original: revoking that deletes it.
  ASSERT_OK(cap_revoke(kSelf, ep));
  ASSERT_EMPTY(grandchild);
}

MU_TEST(cap, delete_copy_of_init_cap_leaves_original) {
  NEW_SLOT(tcb_copy);
  NEW_SLOT(cnode_copy);
  ASSERT_OK(cap_copy(kSelf, mu::kInitSlotTcb, kSelf, tcb_copy, kAll));
  ASSERT_OK(cap_copy(kSelf, mu::kInitSlotCNode, kSelf, cnode_copy, kAll));
  ASSERT_OK(cap_delete(kSelf, tcb_copy));
  ASSERT_OK(cap_delete(kSelf, cnode_copy));
  ASSERT_EQ(type_of(mu::kInitSlotTcb), ObjectType::Tcb);
  ASSERT_EQ(type_of(mu::kInitSlotCNode), ObjectType::CNode);
}

MU_TEST(cap, delete_last_cnode_cap_deletes_its_contents) {
  const uint64_t untyped = new_untyped(16);
  ASSERT_NE(untyped, 0);
  NEW_SLOT(cnode);
  NEW_SLOT(ep);
  ASSERT_OK(untyped_retype(untyped, ObjectType::CNode, 3, kSelf, cnode));
  ASSERT_OK(untyped_retype(untyped, ObjectType::Endpoint, 0, kSelf, ep));
  ASSERT_OK(cap_copy(kSelf, ep, cnode, 5, kAll));
  ASSERT_OK(cap_delete(kSelf, ep));  // the copy inside the CNode keeps the endpoint alive
  ASSERT_NE(word0_of(untyped), 0);
  // Deleting the CNode's last cap deletes the endpoint copy inside, so nothing from the untyped
  // is left and its memory is free again.
  ASSERT_OK(cap_delete(kSelf, cnode));
  ASSERT_EQ(word0_of(untyped), 0);
}

// ---------------------------------------------------------------- CapRevoke

MU_TEST(cap, revoke_deletes_copies_and_mints) {
  NEW_OBJECT(ep, Endpoint, 0);
  uint64_t derived[8];
  for (unsigned i = 0; i < 8; ++i) {
    derived[i] = alloc_slot();
    ASSERT_NE(derived[i], 0);
    if (i % 2 == 0) {
      ASSERT_OK(cap_copy(kSelf, ep, kSelf, derived[i], kR));
    } else {
      ASSERT_OK(cap_mint(kSelf, ep, kSelf, derived[i], kAll, i));
    }
  }
  ASSERT_OK(cap_revoke(kSelf, ep));
  for (unsigned i = 0; i < 8; ++i) ASSERT_EMPTY(derived[i]);
  ASSERT_EQ(type_of(ep), ObjectType::Endpoint);  // revoke keeps the cap itself
  ASSERT_OK(cap_revoke(kSelf, ep));              // nothing left to revoke: still fine
}

MU_TEST(cap, revoke_deep_tree) {
  constexpr unsigned kDepth = 50;
  NEW_OBJECT(ep, Endpoint, 0);
  uint64_t chain[kDepth];
  uint64_t prev = ep;
  for (unsigned i = 0; i < kDepth; ++i) {
    chain[i] = alloc_slot();
    ASSERT_NE(chain[i], 0);
    ASSERT_OK(cap_copy(kSelf, prev, kSelf, chain[i], kAll));
    prev = chain[i];
  }
  // Revoking in the middle removes only the part below.
  ASSERT_OK(cap_revoke(kSelf, chain[kDepth / 2]));
  ASSERT_EQ(type_of(chain[kDepth / 2]), ObjectType::Endpoint);
  ASSERT_EMPTY(chain[kDepth / 2 + 1]);
  ASSERT_EMPTY(chain[kDepth - 1]);
  ASSERT_OK(cap_revoke(kSelf, ep));
  for (unsigned i = 0; i < kDepth; ++i) ASSERT_EMPTY(chain[i]);
}

MU_TEST(cap, revoke_wide_and_deep_tree_in_child_cnodes) {
  NEW_OBJECT(cnode, CNode, 8);  // 256 slots
  NEW_OBJECT(ntfn, Notification, 0);
  // Each copy i goes to slot i of the child CNode, derived from copy i / 2 (a binary tree).
  ASSERT_OK(cap_copy(kSelf, ntfn, cnode, 0, kAll));
  for (uint64_t i = 1; i < 256; ++i) ASSERT_OK(cap_copy(cnode, (i - 1) / 2, cnode, i, kAll));
  NEW_SLOT(probe);
  ASSERT_OK(cap_revoke(kSelf, ntfn));
  for (uint64_t i = 0; i < 256; ++i) {
    ASSERT_STATUS(cap_copy(cnode, i, kSelf, probe, kAll), SlotEmpty);
  }
}

MU_TEST(cap, revoke_leaves_siblings_and_parent) {
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_SLOT(a);
  NEW_SLOT(b);
  NEW_SLOT(a_child);
  NEW_SLOT(b_child);
  ASSERT_OK(cap_copy(kSelf, ep, kSelf, a, kAll));
  ASSERT_OK(cap_copy(kSelf, ep, kSelf, b, kAll));
  ASSERT_OK(cap_copy(kSelf, a, kSelf, a_child, kAll));
  ASSERT_OK(cap_copy(kSelf, b, kSelf, b_child, kAll));
  ASSERT_OK(cap_revoke(kSelf, a));
  ASSERT_EMPTY(a_child);
  ASSERT_EQ(type_of(a), ObjectType::Endpoint);
  ASSERT_EQ(type_of(b), ObjectType::Endpoint);
  ASSERT_EQ(type_of(b_child), ObjectType::Endpoint);
  ASSERT_EQ(type_of(ep), ObjectType::Endpoint);
}

MU_TEST(cap, revoke_errors) {
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_SLOT(empty);
  ASSERT_STATUS(cap_revoke(kSelf, kRootSlots), InvalidSlot);
  ASSERT_STATUS(cap_revoke(kSelf, empty), SlotEmpty);
  ASSERT_STATUS(cap_revoke(ep, 0), InvalidSlot);
  ASSERT_STATUS(cap_revoke(empty, 0), SlotEmpty);
}

MU_TEST(cap, revoke_untyped_destroys_objects_and_frees_memory) {
  const uint64_t untyped = new_untyped(16);
  ASSERT_NE(untyped, 0);
  const uint64_t first = alloc_slots(8);
  ASSERT_NE(first, 0);
  ASSERT_OK(untyped_retype(untyped, ObjectType::Frame4K, 0, kSelf, first, 8));
  NEW_SLOT(copy);
  ASSERT_OK(cap_copy(kSelf, first + 3, kSelf, copy, kR));
  ASSERT_EQ(word0_of(untyped), 8 * 4096);
  ASSERT_OK(cap_revoke(kSelf, untyped));
  for (uint64_t i = 0; i < 8; ++i) ASSERT_EMPTY(first + i);
  ASSERT_EMPTY(copy);  // copies of the objects go too
  ASSERT_EQ(word0_of(untyped), 0);
  ASSERT_EQ(untyped_free(untyped), 1 << 16);
}

// ---------------------------------------------------------------- UntypedRetype

MU_TEST(retype, every_object_type) {
  struct Kind {
    ObjectType type;
    uint64_t user_bits;
    unsigned size_bits;  // CapIdentify's size_bits: radix for CNode, log2 size for Untyped, else 0
  };
  const Kind kinds[] = {
      {ObjectType::Untyped, 12, 12},     {ObjectType::CNode, 2, 2},
      {ObjectType::Tcb, 0, 0},           {ObjectType::Endpoint, 0, 0},
      {ObjectType::Notification, 0, 0},  {ObjectType::Reply, 0, 0},
      {ObjectType::VSpace, 0, 0},        {ObjectType::Pdpt, 0, 0},
      {ObjectType::PageDirectory, 0, 0}, {ObjectType::PageTable, 0, 0},
      {ObjectType::Frame4K, 0, 0},       {ObjectType::Frame2M, 0, 0},
  };
  for (const Kind& kind : kinds) {
    uint64_t slot = 0;
    ASSERT_OK(retype_objects(kind.type, kind.user_bits, 1, &slot));
    CapInfo info{};
    ASSERT_TRUE(cap_identify(slot, &info) >= 0);
    ASSERT_EQ(info.type, kind.type);
    ASSERT_EQ(info.rights, kAll);
    ASSERT_EQ(info.word0, 0);  // unbadged, unmapped, nothing retyped
    if (kind.type == ObjectType::Untyped || kind.type == ObjectType::CNode) {
      ASSERT_EQ(info.size_bits, kind.size_bits);
    }
  }
}

MU_TEST(retype, object_sizes_advance_the_watermark) {
  const uint64_t untyped = new_untyped(22);  // 4 MiB
  ASSERT_NE(untyped, 0);
  struct Step {
    ObjectType type;
    uint64_t user_bits;
    uint64_t watermark_after;  // objects are naturally aligned
  };
  const Step steps[] = {
      {ObjectType::Endpoint, 0, 32},
      {ObjectType::Reply, 0, 64},
      {ObjectType::Notification, 0, 128},
      {ObjectType::CNode, 1, 256},     // 2 slots of 64 B
      {ObjectType::Frame4K, 0, 8192},  // aligned up to 4 KiB
      {ObjectType::Tcb, 0, 32768},     // 16 KiB aligned
      {ObjectType::CNode, 6, 36864},   // 64 slots = 4 KiB
      {ObjectType::Untyped, 5, 36896},
      {ObjectType::Frame2M, 0, 4 << 20},  // 2 MiB aligned: the upper half
  };
  for (const Step& step : steps) {
    NEW_SLOT(slot);
    ASSERT_OK(untyped_retype(untyped, step.type, step.user_bits, kSelf, slot));
    ASSERT_EQ(word0_of(untyped), step.watermark_after);
  }
  NEW_SLOT(extra);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Endpoint, 0, kSelf, extra), NotEnoughMemory);
}

MU_TEST(retype, fills_consecutive_slots) {
  const uint64_t untyped = new_untyped(16);
  ASSERT_NE(untyped, 0);
  const uint64_t first = alloc_slots(256);
  ASSERT_NE(first, 0);
  ASSERT_OK(untyped_retype(untyped, ObjectType::Endpoint, 0, kSelf, first, 256));
  for (uint64_t i = 0; i < 256; ++i) ASSERT_EQ(type_of(first + i), ObjectType::Endpoint);
  ASSERT_EQ(word0_of(untyped), 256 * 32);
}

MU_TEST(retype, invalid_type) {
  const uint64_t untyped = new_untyped(16);
  ASSERT_NE(untyped, 0);
  NEW_SLOT(dst);
  // 260 and 2^32 + 11 would be Endpoint and Frame4K if the kernel truncated the number.
  const uint64_t bad[] = {
      0,           13, 14, 15, 16, 255, 256, 256 + 4, (uint64_t{1} << 32) + 11, uint64_t{1} << 40,
      ~uint64_t{0}};
  for (uint64_t type : bad) {
    ASSERT_STATUS(syscall6(mu::Sys::UntypedRetype, untyped, type, 12, kSelf, dst, 1), InvalidType);
  }
  ASSERT_EMPTY(dst);
  ASSERT_EQ(word0_of(untyped), 0);
}

MU_TEST(retype, invalid_size) {
  const uint64_t untyped = new_untyped(16);
  ASSERT_NE(untyped, 0);
  NEW_SLOT(dst);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Untyped, 4, kSelf, dst), InvalidSize);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Untyped, 48, kSelf, dst), InvalidSize);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Untyped, 17, kSelf, dst), InvalidSize);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Untyped, ~uint64_t{0}, kSelf, dst),
                InvalidSize);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::CNode, 0, kSelf, dst), InvalidSize);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::CNode, 21, kSelf, dst), InvalidSize);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::CNode, 11, kSelf, dst), InvalidSize);  // 128K
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Frame2M, 0, kSelf, dst), InvalidSize);
  ASSERT_EMPTY(dst);
  // The largest sizes that fit are fine.
  ASSERT_OK(untyped_retype(untyped, ObjectType::CNode, 10, kSelf, dst));
  ASSERT_EQ(word0_of(untyped), 1 << 16);
}

MU_TEST(retype, invalid_count) {
  const uint64_t untyped = new_untyped(16);
  ASSERT_NE(untyped, 0);
  const uint64_t first = alloc_slots(257);
  ASSERT_NE(first, 0);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Endpoint, 0, kSelf, first, 0), InvalidCount);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Endpoint, 0, kSelf, first, 257), InvalidCount);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Endpoint, 0, kSelf, first, ~uint64_t{0}),
                InvalidCount);
  ASSERT_EMPTY(first);
  ASSERT_OK(untyped_retype(untyped, ObjectType::Endpoint, 0, kSelf, first, mu::kMaxRetypeCount));
  ASSERT_EMPTY(first + 256);
}

MU_TEST(retype, untyped_argument_checked) {
  NEW_OBJECT(ep, Endpoint, 0);
  NEW_SLOT(empty);
  NEW_SLOT(dst);
  ASSERT_STATUS(untyped_retype(ep, ObjectType::Endpoint, 0, kSelf, dst), WrongType);
  ASSERT_STATUS(untyped_retype(mu::kInitSlotCNode, ObjectType::Endpoint, 0, kSelf, dst), WrongType);
  ASSERT_STATUS(untyped_retype(empty, ObjectType::Endpoint, 0, kSelf, dst), SlotEmpty);
  ASSERT_STATUS(untyped_retype(kRootSlots, ObjectType::Endpoint, 0, kSelf, dst), InvalidSlot);
  ASSERT_EMPTY(dst);
}

MU_TEST(retype, destination_checked) {
  const uint64_t untyped = new_untyped(16);
  ASSERT_NE(untyped, 0);
  NEW_OBJECT(occupied, Endpoint, 0);
  NEW_SLOT(empty);
  const uint64_t range = alloc_slots(4);
  ASSERT_NE(range, 0);
  ASSERT_OK(cap_copy(kSelf, occupied, kSelf, range + 2, kAll));
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Endpoint, 0, kSelf, occupied), SlotOccupied);
  // One occupied slot in the range refuses the whole call; nothing is created.
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Endpoint, 0, kSelf, range, 4), SlotOccupied);
  ASSERT_EMPTY(range);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Endpoint, 0, kSelf, kRootSlots), InvalidSlot);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Endpoint, 0, kSelf, kRootSlots - 1, 2),
                InvalidSlot);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Endpoint, 0, occupied, 0), InvalidSlot);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Endpoint, 0, empty, 0), SlotEmpty);
  ASSERT_EQ(word0_of(untyped), 0);  // failed calls changed nothing
}

MU_TEST(retype, into_child_cnode) {
  NEW_OBJECT(cnode, CNode, 4);
  const uint64_t untyped = new_untyped(14);
  ASSERT_NE(untyped, 0);
  ASSERT_OK(untyped_retype(untyped, ObjectType::Notification, 0, cnode, 8, 8));
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Notification, 0, cnode, 15, 2), InvalidSlot);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Notification, 0, cnode, 0, 9), SlotOccupied);
  NEW_SLOT(probe);
  ASSERT_OK(cap_copy(cnode, 15, kSelf, probe, kAll));
  ASSERT_EQ(type_of(probe), ObjectType::Notification);
  // The root can also be named through init's CNode cap instead of kSelfCNode.
  NEW_SLOT(via_root_cap);
  ASSERT_OK(untyped_retype(untyped, ObjectType::Endpoint, 0, mu::kInitSlotCNode, via_root_cap));
  ASSERT_EQ(type_of(via_root_cap), ObjectType::Endpoint);
}

MU_TEST(retype, not_enough_memory) {
  const uint64_t untyped = new_untyped(13);  // two frames' worth
  ASSERT_NE(untyped, 0);
  const uint64_t first = alloc_slots(3);
  ASSERT_NE(first, 0);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Frame4K, 0, kSelf, first, 3), NotEnoughMemory);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Tcb, 0, kSelf, first), InvalidSize);
  ASSERT_OK(untyped_retype(untyped, ObjectType::Frame4K, 0, kSelf, first, 2));
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Endpoint, 0, kSelf, first + 2),
                NotEnoughMemory);
  ASSERT_EQ(untyped_free(untyped), 0);
  ASSERT_EMPTY(first + 2);
}

MU_TEST(retype, exhaust_then_reuse_after_delete) {
  const uint64_t untyped = new_untyped(16);
  ASSERT_NE(untyped, 0);
  const uint64_t first = alloc_slots(16);
  ASSERT_NE(first, 0);
  NEW_SLOT(extra);
  for (unsigned round = 0; round < 3; ++round) {
    ASSERT_OK(untyped_retype(untyped, ObjectType::Frame4K, 0, kSelf, first, 16));
    ASSERT_STATUS(untyped_retype(untyped, ObjectType::Endpoint, 0, kSelf, extra), NotEnoughMemory);
    // Memory comes back only when the last object is gone.
    for (uint64_t i = 0; i < 16; ++i) {
      ASSERT_EQ(untyped_free(untyped), 0);
      ASSERT_OK(cap_delete(kSelf, first + i));
    }
    ASSERT_EQ(untyped_free(untyped), 1 << 16);
  }
}

MU_TEST(retype, exhaust_then_reuse_after_revoke) {
  const uint64_t untyped = new_untyped(18);
  ASSERT_NE(untyped, 0);
  const uint64_t first = alloc_slots(16);
  ASSERT_NE(first, 0);
  for (unsigned round = 0; round < 3; ++round) {
    ASSERT_OK(untyped_retype(untyped, ObjectType::Tcb, 0, kSelf, first, 16));
    ASSERT_EQ(untyped_free(untyped), 0);
    ASSERT_OK(cap_revoke(kSelf, untyped));
    ASSERT_EQ(untyped_free(untyped), 1 << 18);
    for (uint64_t i = 0; i < 16; ++i) ASSERT_EMPTY(first + i);
  }
}

MU_TEST(retype, copies_keep_memory_in_use) {
  const uint64_t untyped = new_untyped(12);
  ASSERT_NE(untyped, 0);
  NEW_SLOT(frame);
  NEW_SLOT(copy);
  NEW_SLOT(again);
  ASSERT_OK(untyped_retype(untyped, ObjectType::Frame4K, 0, kSelf, frame));
  ASSERT_OK(cap_copy(kSelf, frame, kSelf, copy, kR));
  ASSERT_OK(cap_delete(kSelf, frame));
  // The copy still names the frame: the memory must not be handed out again.
  ASSERT_EQ(untyped_free(untyped), 0);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Frame4K, 0, kSelf, again), NotEnoughMemory);
  ASSERT_OK(cap_delete(kSelf, copy));
  ASSERT_EQ(untyped_free(untyped), 1 << 12);
  ASSERT_OK(untyped_retype(untyped, ObjectType::Frame4K, 0, kSelf, again));
}

MU_TEST(retype, nested_untyped) {
  const uint64_t outer = new_untyped(16);
  ASSERT_NE(outer, 0);
  NEW_SLOT(inner);
  NEW_SLOT(obj);
  ASSERT_OK(untyped_retype(outer, ObjectType::Untyped, 14, kSelf, inner));
  ASSERT_EQ(size_bits_of(inner), 14);
  ASSERT_EQ(word0_of(outer), 1 << 14);
  ASSERT_OK(untyped_retype(inner, ObjectType::Tcb, 0, kSelf, obj));
  ASSERT_EQ(untyped_free(inner), 0);
  // Revoking the outer untyped reaches the grandchild through the child untyped.
  ASSERT_OK(cap_revoke(kSelf, outer));
  ASSERT_EMPTY(inner);
  ASSERT_EMPTY(obj);
  ASSERT_EQ(untyped_free(outer), 1 << 16);
}

MU_TEST(retype, failed_calls_change_nothing) {
  const uint64_t untyped = new_untyped(14);
  ASSERT_NE(untyped, 0);
  NEW_SLOT(dst);
  ASSERT_OK(untyped_retype(untyped, ObjectType::Endpoint, 0, kSelf, dst));
  const uint64_t watermark = word0_of(untyped);
  NEW_SLOT(other);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Endpoint, 0, kSelf, dst), SlotOccupied);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Tcb, 0, kSelf, other, 2), NotEnoughMemory);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::IoPort, 0, kSelf, other), InvalidType);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Untyped, 15, kSelf, other), InvalidSize);
  ASSERT_STATUS(untyped_retype(untyped, ObjectType::Endpoint, 0, kSelf, other, 0), InvalidCount);
  ASSERT_EQ(word0_of(untyped), watermark);
  ASSERT_EMPTY(other);
}
