// init's service manifest (/etc/services in the initrd; format in docs/protocols.md "init").
// Pure parsing, no system calls: it is also built for the host and unit-tested there.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace init {

inline constexpr size_t kMaxServices = 16;
inline constexpr size_t kNameMax = 16;       // service, grant and endpoint names (with NUL)
inline constexpr size_t kProgramMax = 64;    // initrd path (with NUL)
inline constexpr size_t kArgsMax = 256;      // argument string (with NUL)
inline constexpr size_t kMaxPortRanges = 3;  // the kernel opens 3 ranges per thread
inline constexpr size_t kMaxIrqs = 4;
inline constexpr size_t kMaxUses = 4;
inline constexpr size_t kMaxProvides = 2;

enum class RestartPolicy : uint8_t {
  Never,      // a service that ends stays stopped
  OnFailure,  // restarted after a fault or a non-zero exit, or after `kill`
  Always,     // restarted whenever it ends
};

struct PortRange {
  uint16_t first, last;
  char name[kNameMax];  // optional label, e.g. "com1" (may be empty)
};

struct Use {
  char name[kNameMax];  // a name another service provides
  uint8_t rights;       // endpoint rights the looked-up capability gets (mu/cap_abi.h kRight*)
};

struct ServiceSpec {
  char name[kNameMax];
  char program[kProgramMax];  // initrd path, e.g. "/sbin/console"
  char args[kArgsMax];        // may be empty
  uint8_t priority;           // 0 (highest) .. 255
  RestartPolicy restart;
  uint32_t max_restarts;   // restart limit before the service is marked failed
  uint32_t backoff_ms;     // first restart delay; doubles each time, reset after a stable run
  uint64_t memory_kib;     // init's budget for the program's objects (image, stack, tables)
  uint64_t heap_kib;       // the program's own untyped (kProgSlotUntyped); 0 = none
  PortRange ports[kMaxPortRanges];
  size_t port_count;
  uint8_t irqs[kMaxIrqs];
  size_t irq_count;
  bool framebuffer;  // gets the framebuffer frames
  bool admin;        // may use init's control operations (kill, restart, run, power)
  Use uses[kMaxUses];
  size_t use_count;
  char provides[kMaxProvides][kNameMax];
  size_t provide_count;
  unsigned line;  // manifest line number (1-based), for messages
};

struct ManifestError {
  unsigned line;       // 0: not tied to a line (e.g. a dependency cycle)
  char message[120];   // e.g. "unknown key 'prio'"; no trailing newline
};
using ErrorSink = void (*)(const ManifestError& error, void* context);

// Parses `text`: each good `service` line becomes one spec in `out` (at most `max`); each bad
// line is reported through `on_error` and skipped, so the others still start. Returns the number
// of specs written.
size_t parse_manifest(const char* text, size_t length, ServiceSpec* out, size_t max,
                      ErrorSink on_error, void* context);

// Orders `specs` so every service comes after the ones it `uses`: writes indices into `order`
// and returns how many. A service whose use names nothing any service provides, or that is in a
// dependency cycle, is reported and left out (and so are services that depend on it).
size_t order_services(const ServiceSpec* specs, size_t count, size_t* order, ErrorSink on_error,
                      void* context);

}  // namespace init
