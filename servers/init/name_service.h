// init's name service: services register endpoints under the names their manifest line
// `provides`; clients look them up (names they `use`) and get a copy badged with their pid.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace init {

struct Proc;

// Register: `endpoint_slot` (in init's CNode) is the capability the caller sent (0: none). On
// success the name service keeps it; otherwise the caller frees it. Returns a status.
int64_t name_register(Proc* caller, const char* name, size_t len, uint64_t endpoint_slot);

// Lookup: a badged copy with the rights the caller's manifest gives, in a fresh slot of init's
// CNode (*out_slot) for the reply to transfer. Returns a status.
int64_t name_lookup(Proc* caller, const char* name, size_t len, uint64_t* out_slot);

// The registrations of an instance that went away (its capabilities are already destroyed
// with its arena; this forgets the slots).
void name_forget(uint64_t pid);

}  // namespace init
