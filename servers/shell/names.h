// Names the shell prints for kernel and init values (pure: host unit-tested).
#pragma once

#include <stdint.h>

namespace shell {

// mu::ObjectType name ("Endpoint", "IoPort", ...); nullptr for an unknown value.
const char* object_type_name(uint64_t type);

// Rights bits as four letters in the order r w g R (Read, Write, Grant, GrantReply), '-' for a
// missing right: kRightsAll -> "rwgR", read only -> "r---". `out` holds 5 bytes.
void rights_letters(uint64_t rights, char out[5]);

// proto::init::ProcState name ("running", ...); "?" for an unknown value.
const char* proc_state_name(uint64_t state);

// x86 exception mnemonic for a vector ("#PF" for 14); nullptr when the vector has none.
const char* exception_name(uint64_t vector);

// A status returned by the runtime: mu::Status text, or the console protocol's own values.
const char* status_text(int64_t status);

}  // namespace shell
