// Reading and writing message words and packed strings, shared by every protocol
// (docs/protocols.md "Conventions"). Word i of a message is MR i: MR0..MR3 travel in registers
// (mu::user::Message::mr), MR4.. in the IPC buffer's `mr` array at the same index.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mu/ipc.h"

namespace mu::proto {

// A view of one message: the register words and the IPC buffer.
struct Words {
  uint64_t* regs;     // kRegisterMessageWords words
  IpcBuffer* buffer;  // the thread's IPC buffer (MR4..)

  [[nodiscard]] uint64_t get(unsigned i) const {
    return i < kRegisterMessageWords ? regs[i] : (i < kMaxMessageWords ? buffer->mr[i] : 0);
  }
  void set(unsigned i, uint64_t value) const {
    if (i < kRegisterMessageWords) {
      regs[i] = value;
    } else if (i < kMaxMessageWords) {
      buffer->mr[i] = value;
    }
  }

  // Packs `len` bytes as little-endian words from word `first`; returns the first word after
  // them. The caller checks that len fits (max_bytes_from(first)).
  unsigned put_bytes(unsigned first, const char* data, size_t len) const {
    unsigned w = first;
    for (size_t i = 0; i < len; i += 8, ++w) {
      uint64_t word = 0;
      for (size_t b = 0; b < 8 && i + b < len; ++b)
        word |= static_cast<uint64_t>(static_cast<uint8_t>(data[i + b])) << (8 * b);
      set(w, word);
    }
    return w;
  }
  // Unpacks `len` bytes from word `first` into `out` (which holds at least len bytes).
  void get_bytes(unsigned first, char* out, size_t len) const {
    for (size_t i = 0; i < len; ++i)
      out[i] = static_cast<char>(get(first + static_cast<unsigned>(i / 8)) >> (8 * (i % 8)));
  }
};

// How many bytes fit in a message from word `first` to the last word.
[[nodiscard]] constexpr size_t max_bytes_from(unsigned first) {
  return first >= kMaxMessageWords ? 0 : (kMaxMessageWords - first) * 8;
}
// Words needed for `len` bytes.
[[nodiscard]] constexpr unsigned words_for(size_t len) { return static_cast<unsigned>((len + 7) / 8); }

// Every reply carries its status in MR0: 0, or a negative mu::Status / protocol error code.
inline constexpr unsigned kReplyStatusWord = 0;

}  // namespace mu::proto
