// System commands: echo, uptime, mem, reboot, poweroff.
#include "commands.h"
#include "mu/program.h"  // before mu_client.h, which needs IpcBuffer and kProgramNameMax
#include "mu_client.h"
#include "mu_runtime.h"
#include "mu_user.h"

using namespace mu::user;

namespace shell {

void cmd_echo(size_t argc, const char* const* argv) {
  // Word by word, so a line near the console's limit needs no large format buffer.
  for (size_t i = 1; i < argc; ++i) {
    if (i > 1) console_write(" ", 1);
    console_write(argv[i], string_length(argv[i]));
  }
  console_write("\n", 1);
}

void cmd_uptime(size_t argc, const char* const* argv) {
  if (argc != 1) return print_usage(argv[0]);
  const uint64_t ms = clock_ns() / 1000000;
  console_print("up %lu.%03lu s\n", ms / 1000, ms % 1000);
}

void cmd_mem(size_t argc, const char* const* argv) {
  if (argc != 1) return print_usage(argv[0]);
  MemInfo info{};
  const int64_t status = init_mem_info(&info);
  if (status < 0) return print_error(argv[0], nullptr, status);
  // total = kernel + services + init + free (init counts each KiB in exactly one of them).
  console_print("  total    %9lu KiB\n", info.total_kib);
  console_print("  kernel   %9lu KiB\n", info.kernel_kib);
  console_print("  services %9lu KiB\n", info.services_kib);
  console_print("  init     %9lu KiB\n", info.init_kib);
  console_print("  free     %9lu KiB\n", info.free_kib);
}

void cmd_reboot(size_t argc, const char* const* argv) {
  if (argc != 1) return print_usage(argv[0]);
  print_error(argv[0], nullptr, init_reboot());  // only returns when init refused
}

void cmd_poweroff(size_t argc, const char* const* argv) {
  if (argc != 1) return print_usage(argv[0]);
  print_error(argv[0], nullptr, init_power_off());
}

}  // namespace shell
