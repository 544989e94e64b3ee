// print(): formatted output over the debug_write syscall (mu_user.h), one write per call so a
// line is never interleaved with another program's. Longer output is cut at the buffer's size.
#include <stdarg.h>

#include "mu_runtime.h"
#include "mu_user.h"

namespace mu::user {

void print(const char* format, ...) {
  char buf[512];
  va_list args;
  va_start(args, format);
  const size_t full = vformat(buf, sizeof(buf), format, args);
  va_end(args);
  (void)debug_write(buf, full < sizeof(buf) ? full : sizeof(buf) - 1);
}

}  // namespace mu::user
