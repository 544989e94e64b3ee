// Process commands, served by init: ps, caps, kill, run, restart.
#include "commands.h"
#include "mu/cap_abi.h"
#include "mu/program.h"  // before mu_client.h, which needs IpcBuffer and kProgramNameMax
#include "mu_client.h"
#include "mu_runtime.h"
#include "mu_user.h"
#include "names.h"

using namespace mu::user;
using mu::proto::init::ExitHow;

namespace shell {
namespace {

constexpr int64_t kNotFound = mu::status_value(mu::Status::NotFound);

bool process_exists(uint64_t pid) {
  ProcInfo info{};
  for (uint64_t index = 0; init_proc_info(index, &info) >= 0; ++index) {
    if (info.pid == pid) return true;
  }
  return false;
}

// What the BADGE column shows: the badge for endpoints and notifications, and for the other
// types the CapIdentify words that say what the capability covers.
void describe_cap(const CapSlotInfo& cap, char* out, size_t size) {
  switch (static_cast<mu::ObjectType>(cap.type)) {
    case mu::ObjectType::Endpoint:
    case mu::ObjectType::Notification: format(out, size, "0x%lx", cap.word0); break;
    case mu::ObjectType::IoPort: format(out, size, "ports 0x%lx-0x%lx", cap.word0, cap.word1); break;
    case mu::ObjectType::IrqHandler: format(out, size, "irq %lu", cap.word0); break;
    case mu::ObjectType::Untyped: format(out, size, "used 0x%lx", cap.word0); break;
    case mu::ObjectType::Frame4K:
    case mu::ObjectType::Frame2M:
    case mu::ObjectType::Pdpt:
    case mu::ObjectType::PageDirectory:
    case mu::ObjectType::PageTable:
      if (cap.word0 != 0) {
        format(out, size, "at 0x%lx", cap.word0);
      } else {
        format(out, size, "unmapped");
      }
      break;
    default: format(out, size, "-"); break;
  }
}

}  // namespace

void cmd_ps(size_t argc, const char* const* argv) {
  if (argc != 1) return print_usage(argv[0]);
  console_print("%5s %-15s %4s %-10s %9s %8s\n", "PID", "NAME", "PRIO", "STATE", "MEM", "RESTARTS");
  for (uint64_t index = 0;; ++index) {
    ProcInfo info{};
    const int64_t status = init_proc_info(index, &info);
    if (status == kNotFound) break;  // past the last process
    if (status < 0) return print_error(argv[0], nullptr, status);
    info.name[sizeof(info.name) - 1] = '\0';
    console_print("%5lu %-15s %4lu %-10s %8luK %8lu\n", info.pid, info.name, info.priority,
                  proc_state_name(static_cast<uint64_t>(info.state)), info.memory_bytes / 1024,
                  info.restarts);
  }
}

void cmd_caps(size_t argc, const char* const* argv) {
  if (argc != 2) return print_usage(argv[0]);
  uint64_t pid = 0;
  if (!parse_number(argv[0], argv[1], &pid)) return;
  bool header = false;
  for (uint64_t slot = 0;;) {
    CapSlotInfo cap{};
    const int64_t status = init_proc_cap(pid, slot, &cap);
    if (status == kNotFound && !header) {
      // NotFound means either "no such pid" or "no capability at all"; ps tells them apart.
      if (process_exists(pid)) {
        console_print("pid %lu holds no capabilities\n", pid);
      } else {
        console_print("shell: %s: %lu: no such process\n", argv[0], pid);
      }
      return;
    }
    if (status == kNotFound) break;  // no full slot after the last one shown
    if (status < 0) return print_error(argv[0], argv[1], status);
    if (!header) {
      console_print("%5s %-14s %-6s %s\n", "SLOT", "TYPE", "RIGHTS", "BADGE");
      header = true;
    }
    const char* type = object_type_name(cap.type);
    char type_unknown[16];
    if (type == nullptr) {
      format(type_unknown, sizeof(type_unknown), "type %lu", cap.type);
      type = type_unknown;
    }
    char rights[5];
    rights_letters(cap.rights, rights);
    char detail[48];
    describe_cap(cap, detail, sizeof(detail));
    console_print("%5lu %-14s %-6s %s\n", cap.slot, type, rights, detail);
    if (cap.slot < slot) break;  // init went backwards: stop rather than loop
    slot = cap.slot + 1;
  }
}

void cmd_kill(size_t argc, const char* const* argv) {
  if (argc != 2) return print_usage(argv[0]);
  uint64_t pid = 0;
  if (!parse_number(argv[0], argv[1], &pid)) return;
  const int64_t status = init_kill(pid);
  if (status < 0) return print_error(argv[0], argv[1], status);
  console_print("killed pid %lu\n", pid);
}

void cmd_restart(size_t argc, const char* const* argv) {
  if (argc != 2) return print_usage(argv[0]);
  uint64_t new_pid = 0;
  const int64_t status = init_restart(argv[1], &new_pid);
  if (status < 0) return print_error(argv[0], argv[1], status);
  console_print("restarted %s as pid %lu\n", argv[1], new_pid);
}

void cmd_run(size_t argc, const char* const* argv) {
  if (argc < 2) return print_usage(argv[0]);
  // init takes one command line; the words are joined again with single spaces.
  char line[mu::kProgramArgBytes];
  size_t used = 0;
  for (size_t i = 1; i < argc; ++i) {
    const size_t length = string_length(argv[i]);
    if (used + length + 2 > sizeof(line)) {
      console_print("shell: %s: command line too long\n", argv[0]);
      return;
    }
    if (i > 1) line[used++] = ' ';
    for (size_t k = 0; k < length; ++k) line[used++] = argv[i][k];
  }
  line[used] = '\0';

  RunResult result{};
  const int64_t status = init_run(line, &result);
  if (status < 0) return print_error(argv[0], argv[1], status);
  switch (result.how) {
    case ExitHow::Exited:
      console_print("%s (pid %lu) exited with code %ld\n", argv[1], result.pid, result.code);
      break;
    case ExitHow::Faulted: {
      const uint64_t vector = static_cast<uint64_t>(result.code);
      const char* name = exception_name(vector);
      console_print("%s (pid %lu) faulted: %s (vector %lu)\n", argv[1], result.pid,
                    name != nullptr ? name : "exception", vector);
      break;
    }
    case ExitHow::Killed:
      console_print("%s (pid %lu) was killed\n", argv[1], result.pid);
      break;
    default:
      console_print("%s (pid %lu) ended (how %lu, code %ld)\n", argv[1], result.pid,
                    static_cast<uint64_t>(result.how), result.code);
      break;
  }
}

}  // namespace shell
