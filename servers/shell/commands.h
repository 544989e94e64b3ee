// The shell's command table and the helpers commands share. Each group of commands lives in its
// own file (cmd_*.cc) and is listed in commands.cc.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace shell {

// argv[0] is the command name; argc >= 1.
using CommandHandler = void (*)(size_t argc, const char* const* argv);

struct Command {
  const char* name;
  const char* usage;        // arguments, e.g. "<pid>" ("" for none)
  const char* description;  // one line for `help`
  CommandHandler run;
};

// Splits `line` into words and runs the command the first names; every problem (bad quoting,
// control characters, an unknown command, bad arguments) ends in one printed line.
void run_command_line(const char* line, size_t length);

// All commands, in the order `help` lists them.
const Command* commands(size_t* count);
const Command* find_command(const char* name);

// Prints "usage: <name> <usage>".
void print_usage(const char* name);
// Prints "shell: <command>: <what>: <status text>" (what may be null).
void print_error(const char* command, const char* what, int64_t status);
// Parses a decimal or 0x-hex number; prints "shell: <command>: '<text>' is not a number" if not.
bool parse_number(const char* command, const char* text, uint64_t* out);

// Handlers, by group.
void cmd_help(size_t argc, const char* const* argv);
void cmd_echo(size_t argc, const char* const* argv);
void cmd_uptime(size_t argc, const char* const* argv);
void cmd_mem(size_t argc, const char* const* argv);
void cmd_ls(size_t argc, const char* const* argv);
void cmd_cat(size_t argc, const char* const* argv);
void cmd_ps(size_t argc, const char* const* argv);
void cmd_caps(size_t argc, const char* const* argv);
void cmd_kill(size_t argc, const char* const* argv);
void cmd_run(size_t argc, const char* const* argv);
void cmd_restart(size_t argc, const char* const* argv);
void cmd_reboot(size_t argc, const char* const* argv);
void cmd_poweroff(size_t argc, const char* const* argv);

}  // namespace shell
