// crash_text_write: writes to its own (read-execute) text; the kernel must stop it with #PF.
#include "mu_user.h"

extern "C" int64_t mu_main(const mu::user::StartInfo*) {
  volatile uint8_t* text = reinterpret_cast<volatile uint8_t*>(&mu_main);
  mu::user::print("crash_text_write: writing to 0x%lx\n", reinterpret_cast<uint64_t>(text));
  *text = 0xC3;
  return 0;
}
