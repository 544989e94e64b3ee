// Slot allocation in the program's own root CNode (mu_runtime.h): a bitmap over the slots from
// ProgramStart::first_free_slot to the end of the CNode. Single-threaded, like the rest of the
// runtime.
#include "mu_caps.h"
#include "mu_runtime.h"

namespace mu::user {
namespace {

constexpr uint64_t kMaxSlots = uint64_t{1} << kProgramMaxCNodeRadix;
constexpr uint64_t kBitsPerWord = 64;

uint64_t g_used[kMaxSlots / kBitsPerWord];
uint64_t g_slot_count = 0;  // 2^ProgramStart::cnode_radix
uint64_t g_first = 0;       // 0 until the start page has been read
uint64_t g_next_hint = 0;   // where the next search starts (slots below it were full)

bool ensure_started() {
  if (g_first != 0) return true;
  const ProgramStart* start = program_start();
  if (start == nullptr) return false;
  // Slots below kProgSlotFirstGrant are fixed ones; a bad page never hands them out.
  uint64_t first = start->first_free_slot;
  if (first < kProgSlotFirstGrant) first = kProgSlotFirstGrant;
  if (start->cnode_radix < kProgramCNodeRadix || start->cnode_radix > kProgramMaxCNodeRadix)
    return false;
  g_slot_count = uint64_t{1} << start->cnode_radix;
  if (first >= g_slot_count) return false;
  g_first = first;
  g_next_hint = first;
  return true;
}

bool is_used(uint64_t slot) { return (g_used[slot / kBitsPerWord] >> (slot % kBitsPerWord)) & 1; }
void set_used(uint64_t slot, bool used) {
  const uint64_t bit = uint64_t{1} << (slot % kBitsPerWord);
  if (used) {
    g_used[slot / kBitsPerWord] |= bit;
  } else {
    g_used[slot / kBitsPerWord] &= ~bit;
  }
}

}  // namespace

uint64_t slot_alloc() {
  if (!ensure_started()) return 0;
  for (uint64_t slot = g_next_hint; slot < g_slot_count; ++slot) {
    if (!is_used(slot)) {
      set_used(slot, true);
      g_next_hint = slot + 1;
      return slot;
    }
  }
  return 0;
}

void slot_free(uint64_t slot) {
  if (g_first == 0 || slot < g_first || slot >= g_slot_count || !is_used(slot)) return;
  (void)cap_delete(kSelfCNode, slot);
  set_used(slot, false);
  if (slot < g_next_hint) g_next_hint = slot;
}

}  // namespace mu::user
