// File commands on the initrd, served by init: ls, cat.
#include "commands.h"
#include "mu/program.h"  // before mu_client.h, which needs IpcBuffer and kProgramNameMax
#include "mu_client.h"
#include "mu_runtime.h"
#include "mu_user.h"

using namespace mu::user;

namespace shell {
namespace {

// cpio mode (type and permission bits) as ls shows it: "-rwxr-xr-x", "drwxr-xr-x".
void mode_string(uint64_t mode, char out[11]) {
  switch (mode & 0170000) {
    case 0040000: out[0] = 'd'; break;
    case 0120000: out[0] = 'l'; break;
    case 0100000:
    case 0: out[0] = '-'; break;
    default: out[0] = '?'; break;
  }
  static constexpr char kLetters[] = "rwxrwxrwx";
  for (unsigned i = 0; i < 9; ++i) out[1 + i] = (mode & (0400u >> i)) != 0 ? kLetters[i] : '-';
  out[10] = '\0';
}

}  // namespace

void cmd_ls(size_t argc, const char* const* argv) {
  if (argc != 1) return print_usage(argv[0]);
  for (uint64_t index = 0;; ++index) {
    FileInfo file{};
    const int64_t status = init_list_file(index, &file);
    if (status == mu::status_value(mu::Status::NotFound)) break;  // past the last entry
    if (status < 0) return print_error(argv[0], nullptr, status);
    file.path[sizeof(file.path) - 1] = '\0';
    char mode[11];
    mode_string(file.mode, mode);
    // Archive paths have no leading '/'; the shell names files from the root.
    console_print("%s %10lu %s%s\n", mode, file.size, file.path[0] == '/' ? "" : "/", file.path);
  }
}

void cmd_cat(size_t argc, const char* const* argv) {
  if (argc != 2) return print_usage(argv[0]);
  const char* path = argv[1];
  char chunk[480];  // what one ReadFile reply carries
  uint64_t offset = 0;
  char last = '\n';
  for (;;) {
    const int64_t count = init_read_file(path, offset, chunk, sizeof(chunk));
    if (count < 0) return print_error(argv[0], path, count);
    if (count == 0) break;
    for (int64_t i = 0; i < count; ++i) {
      if (chunk[i] == '\0') {  // an executable or other binary: keep the terminal sane
        if (last != '\n') console_write("\n", 1);
        console_print("shell: %s: %s: not a text file\n", argv[0], path);
        return;
      }
    }
    console_write(chunk, static_cast<size_t>(count));
    last = chunk[count - 1];
    offset += static_cast<uint64_t>(count);
  }
  if (last != '\n') console_write("\n", 1);  // the prompt starts on a line of its own
}

}  // namespace shell
