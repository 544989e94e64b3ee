// console_fault: asks the console to fault (proto/console.h TestFault, honoured only in test
// mode), so the shell suite can watch init restart a faulted service while the shell keeps
// working. Prints how its call ended: the console never replies, so the call is cut off.
#include "mu/proto/console.h"
#include "mu_caps.h"
#include "mu_client.h"
#include "mu_runtime.h"
#include "mu_user.h"

using namespace mu::user;

extern "C" int64_t mu_main(const StartInfo*) {
  const uint64_t slot = slot_alloc();
  if (slot == 0 || ns_lookup(mu::proto::console::kServiceName, slot) != 0) {
    print("console_fault: no console to ask\n");
    return 1;
  }
  Message msg;
  msg.tag = mu::MessageTag::make(static_cast<uint64_t>(mu::proto::console::Op::TestFault), 0).raw;
  const int64_t r = call(slot, &msg);
  const int64_t status = r == 0 ? static_cast<int64_t>(msg.mr[0]) : r;
  print("console_fault: call ended: %s (%ld)\n",
        status < 0 ? mu::status_string(static_cast<mu::Status>(status)) : "replied", status);
  return 0;
}
