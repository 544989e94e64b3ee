// Clients of init and the console (protocols in common/include/mu/proto/, docs/protocols.md).
// Every call returns 0 (or a value) or a negative status. A call through a capability whose
// service was restarted fails with SlotEmpty (its endpoint was destroyed); the console helpers
// then look the service up again and retry once.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mu/program.h"  // kProgramNameMax
#include "mu/proto/init.h"

namespace mu::user {

// The calling thread's IPC buffer (kProgramIpcBufferAddr in programs init starts).
IpcBuffer* my_ipc_buffer();

// ---- init: name service ----
// Registers endpoint capability `ep_slot` under `name`.
int64_t ns_register(const char* name, uint64_t ep_slot);
// Looks `name` up; the badged endpoint lands in `dst_slot` (which must be empty).
int64_t ns_lookup(const char* name, uint64_t dst_slot);

// ---- init: processes and system ----
struct ProcInfo {
  uint64_t pid, priority, memory_bytes, restarts;
  proto::init::ProcState state;
  char name[kProgramNameMax];
};
int64_t init_proc_info(uint64_t index, ProcInfo* out);
struct CapSlotInfo {
  uint64_t slot, type, rights, word0, word1;
};
int64_t init_proc_cap(uint64_t pid, uint64_t first_slot, CapSlotInfo* out);
struct MemInfo {
  uint64_t total_kib, kernel_kib, services_kib, free_kib, init_kib;
};
int64_t init_mem_info(MemInfo* out);
struct FileInfo {
  uint64_t size, mode;
  char path[128];
};
int64_t init_list_file(uint64_t index, FileInfo* out);
// Reads up to `max` bytes of initrd file `path` at `offset` into `out`; returns the count.
int64_t init_read_file(const char* path, uint64_t offset, char* out, size_t max);
int64_t init_kill(uint64_t pid);
int64_t init_restart(const char* name, uint64_t* new_pid);
struct RunResult {
  proto::init::ExitHow how;
  int64_t code;
  uint64_t pid;
};
int64_t init_run(const char* command_line, RunResult* out);
int64_t init_power_off();
int64_t init_reboot();

// ---- console ----
// Writes to the console (looked up on first use); falls back to DebugWrite when there is none.
int64_t console_write(const char* data, size_t len);
void console_print(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
// Reads one edited line (without the newline) into `out`, NUL-terminated; returns its length,
// or proto::console::kInterrupted after Ctrl-C, or a negative status.
int64_t console_read_line(char* out, size_t size);

}  // namespace mu::user
