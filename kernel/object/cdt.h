// Capability derivation tree: intrusive parent/child/sibling links kept in the slots.
#pragma once

#include "object/capability.h"

namespace kernel::object {

// Shape and invariants (relied on by cdt_is_last and checked by the tests):
//  * A slot's children are caps derived from it: copies/mints (same object, original = 0) and,
//    for an untyped, the original caps of the objects retyped from it.
//  * All caps to one object form a contiguous run of siblings (each with its subtree) under one
//    parent that names a different object (or under no parent). Retype adds a run of one; a copy
//    goes below its source; deleting a cap splices its children into its own place. None of these
//    can split a run, so "is there another cap to this object" only needs the neighbours.
//  * Untyped caps are never copied, so each untyped has exactly one cap.
// Parentless caps (boot caps, or orphans whose root was deleted) may still be linked as siblings.

// Links `child` (occupied, with all links null) as the first child of `parent`, or as a parentless
// root when `parent` is null.
void cdt_insert_child(Slot* parent, Slot* child);

// Removes `slot` from the tree; its children take its place among its siblings, under its parent.
// Clears the slot's links; does not touch its capability.
void cdt_unlink(Slot* slot);

// Moves the tree position of `from` to the empty, unlinked slot `to` (the cap is copied by the
// caller). Afterwards `from` has null links.
void cdt_transfer(Slot* from, Slot* to);

// Next slot after `current` in a pre-order walk of the subtree below `root` (root excluded); pass
// `current == root` to start. Returns nullptr at the end.
[[nodiscard]] Slot* cdt_next_descendant(Slot* root, Slot* current);

// A descendant of `root` with no children, or nullptr when `root` has none. Deleting leaves first
// keeps revoke free of splicing work.
[[nodiscard]] Slot* cdt_leaf_descendant(Slot* root);

// True when `slot` holds the only capability to its object, so deleting it destroys the object.
[[nodiscard]] bool cdt_is_last(const Slot* slot);

// The nearest ancestor that is an untyped cap, or nullptr.
[[nodiscard]] Slot* cdt_untyped_ancestor(const Slot* slot);

}  // namespace kernel::object
