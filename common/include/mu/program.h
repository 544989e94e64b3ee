// How init starts a program (docs/protocols.md "Program start-up"): the fixed slots of its
// CSpace, the fixed addresses of its VSpace, and the read-only ProgramStart page init writes.
// init itself is started by the kernel instead (mu/ipc.h InitSlot, InitBootCaps).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mu/ipc.h"  // FramebufferGeometry

namespace mu {

// ---- A program's root CNode (2^ProgramStart::cnode_radix slots) ----
// At least 2^kProgramCNodeRadix; init makes it larger when the grants need room (the framebuffer
// is one Frame4K cap per page: 1000 caps at 1280x800), so that a program always has about
// 2^kProgramCNodeRadix free slots, up to 2^kProgramMaxCNodeRadix in all.
inline constexpr unsigned kProgramCNodeRadix = 10;  // 1024 slots
inline constexpr unsigned kProgramMaxCNodeRadix = 13;
enum ProgramSlot : uint64_t {
  kProgSlotNull = 0,       // always empty
  kProgSlotCNode = 1,      // its own root CNode (read/write: it may retype into it)
  kProgSlotTcb = 2,        // its own (first) thread
  kProgSlotVSpace = 3,     // its own VSpace (so the runtime can map heap pages)
  kProgSlotInit = 4,       // init's endpoint, badged with the pid: name service + process calls
  kProgSlotUntyped = 5,    // its own memory pool (heap, objects it creates); may be absent
  kProgSlotIpcBuffer = 6,  // the first thread's IPC buffer frame
  kProgSlotReply = 7,      // a Reply object (servers receive with it)
  kProgSlotFirstGrant = 16,  // manifest grants (ProgramStart::grants) from here on
};

// ---- Fixed addresses in a program's VSpace ----
inline constexpr uint64_t kProgramStartAddr = 0x0000'7FFF'FFFE'0000ULL;  // ProgramStart, read-only
inline constexpr uint64_t kProgramIpcBufferAddr = 0x0000'7FFF'FFFF'D000ULL;
inline constexpr uint64_t kProgramStackTop = 0x0000'7FFF'FFFF'C000ULL;  // guard page above
inline constexpr uint64_t kProgramStackBytes = 64 * 1024;               // guard page below too
inline constexpr uint64_t kProgramHeapBase = 0x0000'0010'0000'0000ULL;   // runtime heap (grows up)
inline constexpr uint64_t kProgramHeapLimit = 0x0000'0010'4000'0000ULL;  // 1 GiB of addresses
inline constexpr uint64_t kProgramDeviceBase = 0x0000'0020'0000'0000ULL;  // e.g. framebuffer maps

// ---- Capabilities a manifest grants (ProgramStart::grants) ----
enum class GrantKind : uint32_t {
  None = 0,
  IoPort = 1,       // one IoPort cap at `slot`: ports a..b (already set on the thread: TcbSetIoPorts)
  Irq = 2,          // one IrqHandler cap at `slot` for ISA line a
  Framebuffer = 3,  // `count` Frame4K caps from `slot` (in order), geometry in ProgramStart::fb
  Endpoint = 4,     // an endpoint of another service at `slot` (looked up by init for it); name
};
struct Grant {
  GrantKind kind;
  uint32_t count;  // slots used from `slot`
  uint64_t slot;
  uint64_t a, b;
  char name[16];   // the manifest's name for it (e.g. "com1", "console"), NUL-terminated
};
inline constexpr unsigned kMaxGrants = 16;

inline constexpr unsigned kMaxProgramArgs = 16;
inline constexpr unsigned kProgramArgBytes = 1024;
inline constexpr unsigned kProgramNameMax = 32;

// ProgramStart::flags
inline constexpr uint64_t kProgramFlagBench = 1u << 0;  // the kernel command line has `bench`
inline constexpr uint64_t kProgramFlagTest = 1u << 1;   // the kernel command line has `test`

struct ProgramStart {
  uint64_t magic;  // kProgramStartMagic
  uint64_t pid;    // init's id for this instance (a restarted service gets a new pid)
  char name[kProgramNameMax];  // service name from the manifest, or the program's file name
  uint64_t flags;
  uint64_t boot_tsc;     // the kernel's entry TSC (for boot-time benchmarks)
  uint64_t priority;     // the thread's priority
  uint64_t cnode_radix;      // the root CNode has 2^cnode_radix slots
  uint64_t first_free_slot;  // every slot of the root CNode from here to the end is empty
  uint64_t untyped_bytes;    // size of kProgSlotUntyped (0: none)
  uint64_t argc;             // argv[0] is the program path
  uint32_t argv_offset[kMaxProgramArgs];  // into `args`; each NUL-terminated
  char args[kProgramArgBytes];
  uint64_t grant_count;
  Grant grants[kMaxGrants];
  FramebufferGeometry fb;
};
inline constexpr uint64_t kProgramStartMagic = 0x5452'4154'5347'5250ULL;  // "PRGSTART"
static_assert(sizeof(ProgramStart) <= 2 * 4096);

// Entry registers of a program init starts: rip = ELF entry, rsp = kProgramStackTop,
// rdi = `arg` (0 unless a test harness passes one), every other register 0. The runtime's _start
// (servers/lib/start.S) passes rdi on as StartInfo::arg; program_start() reads the page.

}  // namespace mu
