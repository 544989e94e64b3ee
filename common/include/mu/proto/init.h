// init's protocol: name service, process control and system information (docs/protocols.md
// "init"). Every program holds init's endpoint at mu::kProgSlotInit, badged with its pid; init
// checks each operation against what the manifest allows that service.
#pragma once

#include <stdint.h>

namespace mu::proto::init {

// Operation = the message label. Strings are packed bytes (proto/message.h) after a length word.
enum class Op : uint64_t {
  // Name service
  Register = 1,  // MR0 = name length, MR1.. name; one capability transferred (the endpoint,
                 // caps[0]); needs `provides=<name>` in the caller's manifest line.
                 // -> MR0 status
  Lookup = 2,    // MR0 = name length, MR1.. name; the receiver sets receive_cnode/index.
                 // Needs `uses=<name>`. -> MR0 status; the badged endpoint capability arrives
                 // with the rights the manifest gives (NotFound: not registered (yet);
                 // InsufficientRights: not in `uses`)
  // Information (every program may ask)
  ProcInfo = 10,  // MR0 = index (0, 1, ...) -> MR0 status (NotFound past the last), MR1 pid,
                  // MR2 priority, MR3 ProcState, MR4 memory bytes, MR5 restarts, MR6 name
                  // length, MR7.. name
  ProcCap = 11,   // MR0 = pid, MR1 = first slot to look at -> MR0 status (NotFound: no pid or
                  // no full slot at or after MR1), MR1 slot, MR2 type, MR3 rights, MR4 badge /
                  // word0, MR5 word1 (as CapIdentify)
  MemInfo = 12,   // -> MR0 status, MR1 total KiB (usable RAM), MR2 kernel KiB, MR3 services
                  // KiB (retyped for programs), MR4 free KiB (untyped left in init's pool),
                  // MR5 init KiB (init's own image and tables)
  ListFile = 13,  // MR0 = index -> MR0 status (NotFound past the last), MR1 size, MR2 mode,
                  // MR3 path length, MR4.. path (initrd entries, in archive order)
  ReadFile = 14,  // MR0 = offset, MR1 = max bytes, MR2 = path length, MR3.. path -> MR0 status,
                  // MR1 bytes returned (0 at the end), MR2.. data (at most 480 bytes per call)
  // Control (needs `admin` in the caller's manifest line)
  Kill = 20,      // MR0 = pid -> MR0 status; the service is torn down and restarted per policy
  Restart = 21,   // MR0 = name length, MR1.. name -> MR0 status, MR1 the new pid
  Run = 22,       // MR0 = command line length, MR1.. "program arg arg..." -> the reply comes when
                  // the program ends: MR0 status, MR1 ExitHow, MR2 exit code / vector, MR3 pid
  PowerOff = 23,  // -> no reply on success (init ends the system)
  Reboot = 24,    // -> no reply on success
};

enum class ProcState : uint64_t {
  Running = 1,     // its thread is ready or running
  Blocked = 2,     // its thread waits (IPC, notification, sleep)
  Stopped = 3,     // faulted or exited; init will restart it (or not, per policy)
  Restarting = 4,  // waiting out its restart backoff
  Failed = 5,      // gave up: restart limit reached
};

enum class ExitHow : uint64_t {
  Exited = 1,   // ProcessExit/ThreadExit or return from mu_main: MR2 = code
  Faulted = 2,  // a CPU exception: MR2 = vector (14 = #PF, 13 = #GP, 6 = #UD, ...)
  Killed = 3,   // `kill`
};

}  // namespace mu::proto::init
