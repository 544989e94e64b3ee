// Slots for the console's own objects. The framebuffer grant can fill nearly all of the
// program's 1024-slot CNode (1280x800 is 1000 frames), so when few slots are left the console
// gives back the caps of the last framebuffer frames (the bottom scan lines, which it then does
// not draw) and uses their slots: the runtime's allocator only hands out slots from
// ProgramStart::first_free_slot up.
#pragma once

#include <stdint.h>

namespace console {

// Slots wanted for the console's objects (endpoint, notification, Reply objects, page tables,
// transient badged caps) with room to spare.
inline constexpr uint64_t kSlotsWanted = 24;

// Adds an emptied slot below first_free_slot to the console's own spares.
void add_spare_slot(uint64_t slot);
// A free slot (the runtime's, else a spare), or 0.
uint64_t take_slot();
// Empties the slot and makes it free again.
void give_slot(uint64_t slot);

}  // namespace console
