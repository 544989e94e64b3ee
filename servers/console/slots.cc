// The runtime's slot allocator first, the console's spare slots after it.
#include "slots.h"

#include "mu/cap_abi.h"
#include "mu_caps.h"
#include "mu_runtime.h"

namespace console {
namespace {

constinit uint64_t g_spare[kSlotsWanted] = {};
constinit uint64_t g_spare_count = 0;

bool is_spare_slot(uint64_t slot) {
  const mu::ProgramStart* start = mu::user::program_start();
  return start != nullptr && slot < start->first_free_slot;
}

}  // namespace

void add_spare_slot(uint64_t slot) {
  if (g_spare_count < kSlotsWanted) g_spare[g_spare_count++] = slot;
}

uint64_t take_slot() {
  const uint64_t slot = mu::user::slot_alloc();
  if (slot != 0) return slot;
  return g_spare_count > 0 ? g_spare[--g_spare_count] : 0;
}

void give_slot(uint64_t slot) {
  if (is_spare_slot(slot)) {
    (void)mu::user::cap_delete(mu::kSelfCNode, slot);
    add_spare_slot(slot);
  } else {
    mu::user::slot_free(slot);
  }
}

}  // namespace console
