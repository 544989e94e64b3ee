// The console server's protocol (docs/protocols.md "console"). Clients look up "console" with
// init (proto/init.h Lookup) and call the endpoint; the badge identifies the client.
#pragma once

#include <stdint.h>

namespace mu::proto::console {

inline constexpr const char* kServiceName = "console";

enum class Op : uint64_t {
  Write = 1,     // MR0 = length (<= kMaxWriteBytes), MR1.. bytes -> MR0 status. Bytes go to
                 // serial and screen; "\n" is a new line; ESC sequences are not interpreted.
  ReadLine = 2,  // MR0 = max bytes (<= kMaxLineBytes) -> the reply comes when the user ends a
                 // line: MR0 status, MR1 length, MR2.. bytes (without the newline). Status
                 // Interrupted when the user typed Ctrl-C. The caller becomes the foreground
                 // client: it gets the keyboard and serial input until another client reads.
  SetColor = 3,  // MR0 = foreground index, MR1 = background index (0..15, VGA order) -> status
  // Test hook for the supervisor tests: when the kernel command line has `test`
  // (kProgramFlagTest) the server takes a page fault at address 0x10 (no reply; init restarts
  // it); otherwise InvalidArgument.
  TestFault = 0x7E57,
};

inline constexpr uint64_t kMaxWriteBytes = 62 * 8;  // MR1..MR62
inline constexpr uint64_t kMaxLineBytes = 61 * 8;   // MR2..MR62

// Protocol-specific status values (next to the negative mu::Status values).
inline constexpr int64_t kInterrupted = -100;  // ReadLine ended by Ctrl-C
inline constexpr int64_t kBusy = -101;         // another ReadLine of this client is pending

}  // namespace mu::proto::console
