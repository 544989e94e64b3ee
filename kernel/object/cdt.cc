// Capability derivation tree operations over the links stored in each slot.
#include "object/cdt.h"

namespace kernel::object {

void cdt_insert_child(Slot* parent, Slot* child) {
  child->parent = parent;
  child->prev_sibling = nullptr;
  child->next_sibling = nullptr;
  child->first_child = nullptr;
  if (parent == nullptr) return;
  Slot* old_first = parent->first_child;
  child->next_sibling = old_first;
  if (old_first != nullptr) old_first->prev_sibling = child;
  parent->first_child = child;
}

void cdt_unlink(Slot* slot) {
  Slot* parent = slot->parent;
  Slot* prev = slot->prev_sibling;
  Slot* next = slot->next_sibling;
  Slot* first = slot->first_child;

  // The chain that replaces `slot`: its children, or nothing.
  Slot* chain_first = next;
  Slot* chain_last = prev;
  if (first != nullptr) {
    Slot* last = first;
    for (Slot* c = first; c != nullptr; c = c->next_sibling) {
      c->parent = parent;
      last = c;
    }
    first->prev_sibling = prev;
    last->next_sibling = next;
    if (next != nullptr) next->prev_sibling = last;
    chain_first = first;
    chain_last = last;
  } else if (next != nullptr) {
    next->prev_sibling = prev;
  }
  if (prev != nullptr) {
    prev->next_sibling = chain_first;
  } else if (parent != nullptr) {
    parent->first_child = chain_first;
  }
  (void)chain_last;
  slot->parent = slot->first_child = slot->prev_sibling = slot->next_sibling = nullptr;
}

void cdt_transfer(Slot* from, Slot* to) {
  to->parent = from->parent;
  to->first_child = from->first_child;
  to->prev_sibling = from->prev_sibling;
  to->next_sibling = from->next_sibling;
  if (to->prev_sibling != nullptr) {
    to->prev_sibling->next_sibling = to;
  } else if (to->parent != nullptr) {
    to->parent->first_child = to;
  }
  if (to->next_sibling != nullptr) to->next_sibling->prev_sibling = to;
  for (Slot* c = to->first_child; c != nullptr; c = c->next_sibling) c->parent = to;
  from->parent = from->first_child = from->prev_sibling = from->next_sibling = nullptr;
}

Slot* cdt_next_descendant(Slot* root, Slot* current) {
  if (current->first_child != nullptr) return current->first_child;
  // Climb until a node with a next sibling, without leaving the subtree of `root`.
  for (Slot* s = current; s != root; s = s->parent) {
    if (s->next_sibling != nullptr) return s->next_sibling;
  }
  return nullptr;
}

Slot* cdt_leaf_descendant(Slot* root) {
  Slot* s = root->first_child;
  if (s == nullptr) return nullptr;
  while (s->first_child != nullptr) s = s->first_child;
  return s;
}

bool cdt_is_last(const Slot* slot) {
  const Capability& cap = slot->cap;
  if (cap.is_null()) return false;
  if (cap.type == ObjectType::Untyped) return true;  // untyped caps are never copied
  if (slot->parent != nullptr && !cap.original && same_object(slot->parent->cap, cap)) return false;
  // By the run invariant another cap to the object, if any, is a neighbour or a child.
  if (slot->prev_sibling != nullptr && same_object(slot->prev_sibling->cap, cap)) return false;
  if (slot->next_sibling != nullptr && same_object(slot->next_sibling->cap, cap)) return false;
  for (const Slot* c = slot->first_child; c != nullptr; c = c->next_sibling) {
    if (!c->cap.original && same_object(c->cap, cap)) return false;
  }
  return true;
}

Slot* cdt_untyped_ancestor(const Slot* slot) {
  for (Slot* p = slot->parent; p != nullptr; p = p->parent) {
    if (p->cap.type == ObjectType::Untyped) return p;
  }
  return nullptr;
}

}  // namespace kernel::object
