// Helpers the client files share for building requests and reading replies (proto/message.h).
#pragma once

#include "mu/proto/message.h"
#include "mu_caps.h"
#include "mu_client.h"

namespace mu::user::detail {

// The words of `m`: MR0..MR3 in its registers, MR4.. in this thread's IPC buffer.
inline proto::Words words_of(Message& m) { return proto::Words{m.mr, my_ipc_buffer()}; }

// Writes a string as the protocols do: its length at word `first`, the packed bytes after it.
// Returns the word after the string, or 0 when it does not fit in a message.
inline unsigned put_string(const proto::Words& w, unsigned first, const char* s, size_t len) {
  if (len > proto::max_bytes_from(first + 1)) return 0;
  w.set(first, len);
  return w.put_bytes(first + 1, s, len);
}

// Reads a string whose length is at word `first` into `out` (size bytes, NUL-terminated), cut
// to what fits in both `out` and the message.
inline void get_string(const proto::Words& w, unsigned first, char* out, size_t size) {
  if (size == 0) return;
  uint64_t len = w.get(first);
  const uint64_t room = proto::max_bytes_from(first + 1);
  if (len > room) len = room;
  if (len > size - 1) len = size - 1;
  w.get_bytes(first + 1, out, len);
  out[len] = '\0';
}

// Sends a request with label `op` and `length` words on `ep` and waits for the reply: the call's
// error, or else the reply's status word.
inline int64_t call_op(uint64_t ep, uint64_t op, Message& m, unsigned length,
                       unsigned extra_caps = 0) {
  m.tag = MessageTag::make(op, length, extra_caps).raw;
  const int64_t r = call(ep, &m);
  if (r != 0) return r;
  return static_cast<int64_t>(m.mr[proto::kReplyStatusWord]);
}

}  // namespace mu::user::detail
