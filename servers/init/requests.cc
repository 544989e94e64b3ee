// Requests of proto/init.h (requests.h).
#include "requests.h"

#include "mu/proto/init.h"
#include "mu_user.h"

using namespace mu::user;

namespace init {

void handle_request(uint64_t pid, const Message& msg, uint64_t reply_slot) {
  (void)pid;
  (void)msg;
  Message out;
  out.tag = mu::MessageTag::make(0, 1).raw;
  out.mr[0] = static_cast<uint64_t>(mu::status_value(mu::Status::InvalidArgument));
  (void)reply(reply_slot, out);
}

}  // namespace init
