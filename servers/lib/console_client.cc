// Client side of the console protocol (mu_client.h, mu/proto/console.h). The console's endpoint
// is looked up with init on first use. A restarted console has a new endpoint and the old
// capability is gone (SlotEmpty) or its call was cut off (Cancelled): then the slot is emptied,
// the name looked up again and the request sent once more. Without a console, output goes to
// the kernel's debug log. Single-threaded.
#include <stdarg.h>

#include "message_util.h"
#include "mu/proto/console.h"
#include "mu_runtime.h"
#include "mu_user.h"

namespace mu::user {
namespace {

namespace console = proto::console;
using detail::call_op;
using detail::words_of;

uint64_t g_console = 0;  // slot holding the console's endpoint, 0 before a successful lookup

bool connect() {
  if (g_console != 0) return true;
  if (program_start() == nullptr) return false;  // the root task has no name service
  const uint64_t slot = slot_alloc();
  if (slot == 0) return false;
  if (ns_lookup(console::kServiceName, slot) != 0) {
    slot_free(slot);
    return false;
  }
  g_console = slot;
  return true;
}

void disconnect() {
  if (g_console == 0) return;
  slot_free(g_console);
  g_console = 0;
}

bool service_gone(int64_t r) {
  return r == status_value(Status::SlotEmpty) || r == status_value(Status::Cancelled);
}

// Sends the request `fill` builds (it returns the message length) and returns the reply status;
// `m` holds the reply. Returns NotFound when there is no console to ask.
template <typename Fill>
int64_t console_call(console::Op op, Message& m, Fill fill) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!connect()) return status_value(Status::NotFound);
    m = Message{};
    const unsigned length = fill(m);
    const int64_t r = call_op(g_console, static_cast<uint64_t>(op), m, length);
    if (!service_gone(r)) return r;
    disconnect();
  }
  return status_value(Status::SlotEmpty);
}

}  // namespace

int64_t console_write(const char* data, size_t len) {
  size_t done = 0;
  while (done < len) {
    const size_t chunk = len - done < console::kMaxWriteBytes ? len - done : console::kMaxWriteBytes;
    Message m;
    const int64_t r = console_call(console::Op::Write, m, [&](Message& msg) {
      const proto::Words w = words_of(msg);
      w.set(0, chunk);
      return w.put_bytes(1, data + done, chunk);
    });
    if (r == status_value(Status::NotFound)) {
      // No console (yet): the kernel's log still shows it.
      const int64_t d = debug_write(data + done, len - done);
      return d < 0 ? d : static_cast<int64_t>(len);
    }
    if (r != 0) return r;
    done += chunk;
  }
  return static_cast<int64_t>(len);
}

void console_print(const char* fmt, ...) {
  char buf[1024];
  va_list args;
  va_start(args, fmt);
  const size_t full = vformat(buf, sizeof(buf), fmt, args);
  va_end(args);
  (void)console_write(buf, full < sizeof(buf) ? full : sizeof(buf) - 1);
}

int64_t console_read_line(char* out, size_t size) {
  if (out == nullptr || size == 0) return status_value(Status::InvalidArgument);
  const uint64_t max = size - 1 < console::kMaxLineBytes ? size - 1 : console::kMaxLineBytes;
  Message m;
  const int64_t r = console_call(console::Op::ReadLine, m, [&](Message& msg) {
    msg.mr[0] = max;
    return 1u;
  });
  if (r != 0) {
    out[0] = '\0';
    return r;
  }
  const proto::Words w = words_of(m);
  uint64_t len = w.get(1);
  if (len > max) len = max;
  w.get_bytes(2, out, len);
  out[len] = '\0';
  return static_cast<int64_t>(len);
}

}  // namespace mu::user
