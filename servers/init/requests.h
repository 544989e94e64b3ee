// Requests of proto/init.h from programs (badge = the caller's pid).
#pragma once

#include <stdint.h>

#include "mu_caps.h"

namespace init {

// Handles one request received with the Reply object `reply_slot` and replies (or keeps the
// Reply object for later, for Run).
void handle_request(uint64_t pid, const mu::user::Message& msg, uint64_t reply_slot);

}  // namespace init
