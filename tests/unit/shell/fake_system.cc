// mu_client.h over fake::System (fake_system.h): what init and the console would answer.
#include "fake_system.h"

#include <stdarg.h>
#include <string.h>

#include <algorithm>

#include "mu/syscall.h"
#include "mu_runtime.h"

namespace fake {

System& system() {
  static System instance;
  return instance;
}

void reset() { system() = System{}; }

}  // namespace fake

namespace mu::user {
namespace {

constexpr int64_t kNotFound = mu::status_value(mu::Status::NotFound);

const fake::File* find_file(const char* path) {
  if (path[0] == '/') ++path;
  for (const fake::File& file : fake::system().files) {
    if (file.path == path) return &file;
  }
  return nullptr;
}

}  // namespace

int64_t console_write(const char* data, size_t len) {
  fake::system().console.append(data, len);
  return static_cast<int64_t>(len);
}

void console_print(const char* fmt, ...) {
  char buffer[1024];  // as large as the real console_print's
  va_list args;
  va_start(args, fmt);
  const size_t length = vformat(buffer, sizeof(buffer), fmt, args);
  va_end(args);
  fake::system().console.append(buffer, std::min(length, sizeof(buffer) - 1));
}

int64_t console_read_line(char*, size_t) { return mu::status_value(mu::Status::Cancelled); }

int64_t init_proc_info(uint64_t index, ProcInfo* out) {
  if (index >= fake::system().procs.size()) return kNotFound;
  *out = fake::system().procs[index];
  return 0;
}

int64_t init_proc_cap(uint64_t pid, uint64_t first_slot, CapSlotInfo* out) {
  auto it = fake::system().caps.find(pid);
  if (it == fake::system().caps.end()) return kNotFound;
  for (const CapSlotInfo& cap : it->second) {
    if (cap.slot >= first_slot) {
      *out = cap;
      return 0;
    }
  }
  return kNotFound;
}

int64_t init_mem_info(MemInfo* out) {
  *out = fake::system().mem;
  return 0;
}

int64_t init_list_file(uint64_t index, FileInfo* out) {
  const auto& files = fake::system().files;
  if (index >= files.size()) return kNotFound;
  out->size = files[index].data.size();
  out->mode = files[index].mode;
  copy_string(out->path, sizeof(out->path), files[index].path.c_str());
  return 0;
}

int64_t init_read_file(const char* path, uint64_t offset, char* out, size_t max) {
  ++fake::system().read_calls;
  const fake::File* file = find_file(path);
  if (file == nullptr) return kNotFound;
  if (offset >= file->data.size()) return 0;
  const size_t count = std::min<size_t>({max, 480, file->data.size() - offset});
  memcpy(out, file->data.data() + offset, count);
  return static_cast<int64_t>(count);
}

int64_t init_kill(uint64_t pid) {
  for (const ProcInfo& proc : fake::system().procs) {
    if (proc.pid == pid) {
      fake::system().killed.push_back(pid);
      return 0;
    }
  }
  return kNotFound;
}

int64_t init_restart(const char* name, uint64_t* new_pid) {
  for (ProcInfo& proc : fake::system().procs) {
    if (string_equal(proc.name, name)) {
      proc.pid += 100;
      *new_pid = proc.pid;
      return 0;
    }
  }
  return kNotFound;
}

int64_t init_run(const char* command_line, RunResult* out) {
  fake::system().last_run = command_line;
  *out = fake::system().run_result;
  return fake::system().run_status;
}

int64_t init_power_off() { return mu::status_value(mu::Status::InsufficientRights); }
int64_t init_reboot() { return mu::status_value(mu::Status::InsufficientRights); }

}  // namespace mu::user
