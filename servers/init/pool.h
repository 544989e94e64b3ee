// init's resources: the slots of its root CNode, its memory pool (every boot Untyped, split buddy
// fashion into power-of-two child Untypeds that become program arenas), and a scratch window in
// its own VSpace for filling frames it hands out.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mu/cap_abi.h"
#include "mu/ipc.h"

namespace init {

// ---- Slots of init's root CNode ----

// Marks the boot capabilities used (everything below `first_free`).
void slots_init(uint64_t first_free);
// A free slot (0 when none is left).
uint64_t slot_alloc();
// `count` consecutive free slots (first index), or 0.
uint64_t slots_alloc(uint64_t count);
// Deletes what the slot holds (ignoring an empty slot) and makes it free.
void slot_free(uint64_t slot);
uint64_t slots_in_use();

// ---- Memory pool ----

// Takes every boot Untyped as the pool. False when there is none.
bool pool_init(const mu::InitBootCaps& caps);
// A child Untyped of exactly 2^bits bytes (its slot in init's CNode), or 0 when no free block is
// large enough. 12 <= bits.
uint64_t pool_alloc(unsigned bits);
// Returns an Untyped pool_alloc gave: revokes it (destroying every object made from it and every
// capability derived from those) and merges it with its free buddy.
void pool_free(uint64_t slot);
uint64_t pool_total_bytes();  // all boot Untyped
uint64_t pool_free_bytes();   // not handed out
uint64_t pool_largest_free_bytes();

// Objects for init itself (its endpoint, Reply objects, scratch page tables), from a small arena
// it keeps. Returns the slot, or 0.
uint64_t own_object(mu::ObjectType type, unsigned user_bits = 0);
uint64_t own_bytes();  // size of that arena
// Destroys init's own objects before it exits: the kernel frees an exiting process's page
// tables as its own, so the scratch window's tables (made from untyped) must be gone first.
void own_release();

// ---- Scratch mappings in init's VSpace ----

// Maps `frame` (a capability init may map: use a copy of one mapped elsewhere) writable at
// scratch page `index` (0 or 1) and returns its address, or 0 after a failure.
void* scratch_map(uint64_t frame, unsigned index);
void scratch_unmap(uint64_t frame);

// FrameMap that first adds the missing paging levels, retyped from `untyped` into fresh slots of
// init's CNode; `stash` (may be null) is called with each new table's slot once it is mapped so
// the caller can move it elsewhere. Returns the FrameMap status.
using TableStash = void (*)(uint64_t table_slot, void* context);
int64_t map_with_tables(uint64_t frame, uint64_t vspace, uint64_t vaddr, uint64_t flags,
                        uint64_t untyped, TableStash stash, void* context);

}  // namespace init
