// init's one endpoint: fault and exit messages (badge kFaultBadgeBit | pid) and requests of
// proto/init.h (badge = pid), received with a Reply object.
#pragma once

#include <stdint.h>

namespace init {

// Makes the endpoint and the first Reply object. False when there is no memory for them.
bool event_loop_init();
uint64_t init_endpoint();

// Receives and handles one message, waiting at most `timeout_ns` (0: for ever). False on timeout.
bool serve_once(uint64_t timeout_ns);

// Serves for ever, restarting services when their backoff ends.
[[noreturn]] void serve_forever();

// A Reply object for the next receive when the current one is kept for a deferred reply (Run):
// returns the slot holding the caller's reply; the loop continues with a fresh one.
uint64_t keep_current_reply();
// Gives a kept Reply object back once it was used.
void release_reply(uint64_t slot);

}  // namespace init
