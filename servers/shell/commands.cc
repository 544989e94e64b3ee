// The command table and shared helpers (commands.h).
#include "commands.h"

#include "mu/program.h"  // before mu_client.h, which needs IpcBuffer and kProgramNameMax
#include "mu_client.h"
#include "mu_runtime.h"
#include "mu_user.h"
#include "names.h"
#include "tokenizer.h"

using namespace mu::user;

namespace shell {
namespace {

constexpr Command kCommands[] = {
    {"help", "", "list the commands", cmd_help},
    {"echo", "[words...]", "print the words", cmd_echo},
    {"ls", "", "list the files of the initrd (mode, size, path)", cmd_ls},
    {"cat", "<path>", "print an initrd file", cmd_cat},
    {"ps", "", "list the processes init runs", cmd_ps},
    {"caps", "<pid>", "list the capabilities of a process", cmd_caps},
    {"kill", "<pid>", "stop a process (init restarts it per its policy)", cmd_kill},
    {"run", "<program> [args...]", "run a program and report how it ended", cmd_run},
    {"restart", "<service>", "restart a service", cmd_restart},
    {"mem", "", "show how memory is used", cmd_mem},
    {"uptime", "", "show the time since boot", cmd_uptime},
    {"reboot", "", "restart the machine", cmd_reboot},
    {"poweroff", "", "turn the machine off", cmd_poweroff},
};

}  // namespace

const Command* commands(size_t* count) {
  *count = sizeof(kCommands) / sizeof(kCommands[0]);
  return kCommands;
}

const Command* find_command(const char* name) {
  for (const Command& command : kCommands) {
    if (string_equal(command.name, name)) return &command;
  }
  return nullptr;
}

void print_usage(const char* name) {
  const Command* command = find_command(name);
  console_print("usage: %s%s%s\n", name, command != nullptr && command->usage[0] != '\0' ? " " : "",
                command != nullptr ? command->usage : "");
}

void print_error(const char* command, const char* what, int64_t status) {
  if (what != nullptr) {
    console_print("shell: %s: %s: %s\n", command, what, status_text(status));
  } else {
    console_print("shell: %s: %s\n", command, status_text(status));
  }
}

bool parse_number(const char* command, const char* text, uint64_t* out) {
  if (parse_u64(text, string_length(text), out)) return true;
  console_print("shell: %s: '%s' is not a number\n", command, text);
  return false;
}

void run_command_line(const char* line, size_t length) {
  Words words;
  size_t offset = 0;
  const TokenizeStatus status = tokenize(line, length, &words, &offset);
  if (status != TokenizeStatus::Ok) {
    console_print("shell: %s (at byte %lu)\n", tokenize_status_string(status), offset);
    return;
  }
  if (words.count == 0) return;  // an empty line: just a new prompt
  const Command* command = find_command(words.word[0]);
  if (command == nullptr) {
    console_print("shell: unknown command '%s' (try help)\n", words.word[0]);
    return;
  }
  command->run(words.count, words.word);
}

void cmd_help(size_t argc, const char* const* argv) {
  if (argc != 1) return print_usage(argv[0]);
  size_t count = 0;
  const Command* table = commands(&count);
  console_print("commands:\n");
  for (size_t i = 0; i < count; ++i) {
    console_print("  %-9s %-20s %s\n", table[i].name, table[i].usage, table[i].description);
  }
  console_print("Ctrl-C abandons the line being typed.\n");
}

}  // namespace shell
