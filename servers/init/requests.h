// Requests of proto/init.h from programs (badge = the caller's pid).
#pragma once

#include <stdint.h>

#include "mu_caps.h"

namespace init {

// Installs the supervisor hooks (Run replies, registrations of ended instances).
void requests_init();

// Handles one request received with the Reply object `reply_slot` and replies (or keeps the
// Reply object for later, for Run). `received_slot` holds the capability the message carried
// (0: none). Returns true when the request kept that capability (Register).
bool handle_request(uint64_t pid, const mu::user::Message& msg, uint64_t reply_slot,
                    uint64_t received_slot);

}  // namespace init
