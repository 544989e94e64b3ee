// captest's support library: init's boot capabilities, slots and objects that are torn down
// after each case, page-table-aware mapping, and threads in init's VSpace or in a new one.
//
// Lifetime: everything allocated here during a case is recorded and undone when the case ends
// (support_end_test): threads are suspended, the case's arena untyped is revoked (destroying
// every object retyped from it and every copy of those), every slot handed out is emptied and
// returned, and the arena is deleted. The boot untyped the arena came from must then be back at
// watermark 0, or the case fails with a leak message. Slots and addresses are never shared
// between cases.
#pragma once

#include <stdint.h>

#include "mu/cap_abi.h"
#include "mu/ipc.h"
#include "mu_caps.h"
#include "mu_user.h"

namespace captest {

// Called by main before the first case: checks the boot record and picks the arena's parent.
// Returns nullptr, or why the tests cannot run.
const char* support_init(const mu::user::StartInfo* info);
// Called by main after each case: tears down what it made. Returns nullptr, or a leak report.
const char* support_end_test();

const mu::InitBootCaps& boot_caps();
const mu::user::StartInfo& start_info();

// ---- Slots of init's root CNode (kInitSlotCNode, 2^kInitCNodeRadix slots) ----

// A fresh empty slot, or 0 when none is left. Emptied and returned after the case.
uint64_t alloc_slot();
// `count` consecutive empty slots (first index), or 0.
uint64_t alloc_slots(uint64_t count);
// Deletes whatever `slot` holds (and what was derived from it stays, as CapDelete leaves it) and
// returns the slot to the pool now.
void release_slot(uint64_t slot);
// True when the slot holds a capability (CapIdentify reports a type other than Null).
bool slot_full(uint64_t slot);

// ---- Objects ----

// The boot untyped the arenas come from, and the running case's arena (created on first use: a
// child Untyped of 2^arena_bits() bytes retyped into a fresh slot).
uint64_t arena_parent();
uint64_t arena();
unsigned arena_bits();
// Retypes `count` objects from the arena into fresh consecutive slots; *first_slot gets the first.
// Returns the UntypedRetype status (or NoMemory when slots ran out).
int64_t retype_objects(mu::ObjectType type, uint64_t user_bits, uint64_t count,
                       uint64_t* first_slot);
// One object in a fresh slot; returns the slot, or 0 after recording a test failure.
uint64_t new_object(mu::ObjectType type, uint64_t user_bits = 0);
// A child Untyped of 2^bits bytes from the arena (0 after recording a failure).
uint64_t new_untyped(unsigned bits);
// Free bytes (size - watermark) of an untyped cap, or a negative status.
int64_t untyped_free(uint64_t untyped);

// ---- Mappings ----

// A free, page-aligned range of `bytes` in init's VSpace (unused by the image, stack, initrd and
// boot record; also free in every VSpace new_vspace makes). Reused after the case.
uint64_t alloc_vaddr(uint64_t bytes);
// FrameMap that retypes and maps the missing page-table levels first (they live until the case
// ends). Returns the final FrameMap status.
int64_t map_frame(uint64_t frame, uint64_t vspace, uint64_t vaddr, uint64_t map_flags);
// A fresh Frame4K mapped at `vaddr` in `vspace`; returns its slot, or 0 after recording a failure.
uint64_t map_new_frame(uint64_t vspace, uint64_t vaddr, uint64_t map_flags);

// A new VSpace holding copies of init's image frames at their addresses (code executable, data
// writable), so code and globals of this program work there too (the memory is shared with
// init). Returns 0 and the VSpace's slot, or the failing call's status.
int64_t new_vspace(uint64_t* vspace_slot);

// ---- Threads ----

using ThreadEntry = void (*)(uint64_t arg);

struct ThreadOptions {
  uint64_t priority = mu::kInitPriority;  // same as captest: runs when captest blocks or yields
  uint64_t cspace = mu::kInitSlotCNode;
  uint64_t vspace = mu::kInitSlotVSpace;  // or a slot from new_vspace()
  bool ipc_buffer = true;                 // map and configure an IPC buffer
  uint64_t fault_ep = 0;
  bool resume = true;  // false: configured and registers written, left suspended
  uint64_t stack_pages = 4;
};

struct Thread {
  uint64_t tcb = 0;              // slot of the TCB
  uint64_t ipc_frame = 0;        // slot of the IPC buffer frame (0 without one)
  uint64_t ipc_buffer_addr = 0;  // where it is mapped, in the thread's VSpace and in init's
  uint64_t stack_top = 0;        // top of its stack (mapped in both VSpaces too)
  [[nodiscard]] mu::IpcBuffer* ipc_buffer() const {
    return reinterpret_cast<mu::IpcBuffer*>(ipc_buffer_addr);
  }
};

// Creates a thread that runs entry(arg) with the options given; when entry returns the thread
// suspends itself (TcbSuspend on its own TCB slot, which needs options.cspace to be init's
// CNode; otherwise it calls ThreadExit). Returns 0 or the status of the call that failed.
int64_t create_thread(Thread* thread, ThreadEntry entry, uint64_t arg,
                      const ThreadOptions& options = ThreadOptions{});

}  // namespace captest
