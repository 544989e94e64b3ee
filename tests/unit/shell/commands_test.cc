// The shell's commands (servers/shell/cmd_*.cc) against a fake init and console
// (fake_system.h): exact output lines, the same shapes tests/system/test_shell.py matches.
#include <gtest/gtest.h>

#include <string>

#include "commands.h"
#include "fake_system.h"
#include "mu/cap_abi.h"
#include "mu_runtime.h"

namespace {

using mu::proto::init::ExitHow;
using mu::proto::init::ProcState;

class ShellCommands : public ::testing::Test {
 protected:
  void SetUp() override { fake::reset(); }

  std::string run(const std::string& line) {
    fake::system().console.clear();
    shell::run_command_line(line.data(), line.size());
    return fake::system().console;
  }

  static void add_proc(uint64_t pid, const char* name, uint64_t prio, ProcState state,
                       uint64_t bytes) {
    mu::user::ProcInfo info{};
    info.pid = pid;
    info.priority = prio;
    info.state = state;
    info.memory_bytes = bytes;
    mu::user::copy_string(info.name, sizeof(info.name), name);
    fake::system().procs.push_back(info);
  }
};

TEST_F(ShellCommands, UnknownCommandAndBadInputGiveOneLine) {
  EXPECT_EQ(run("frobnicate now"), "shell: unknown command 'frobnicate' (try help)\n");
  EXPECT_EQ(run(""), "");
  EXPECT_EQ(run(" \t "), "");
  EXPECT_EQ(run("echo 'x"), "shell: unclosed quote (at byte 5)\n");
  EXPECT_EQ(run("ab\x01"), "shell: control character in input (at byte 2)\n");
  EXPECT_EQ(run(std::string(2000, 'x')), "shell: line too long (at byte 512)\n");
  const std::string long_word(488, 'x');
  EXPECT_EQ(run(long_word), "shell: unknown command '" + long_word + "' (try help)\n");
}

TEST_F(ShellCommands, HelpListsEveryCommandOnce) {
  const std::string out = run("help");
  size_t count = 0;
  const shell::Command* table = shell::commands(&count);
  for (size_t i = 0; i < count; ++i) {
    const std::string row = "  " + std::string(table[i].name) + " ";
    EXPECT_TRUE(out.find("\n" + row) != std::string::npos) << table[i].name;
  }
  EXPECT_EQ(count, 13u);
  EXPECT_EQ(run("help me"), "usage: help\n");
}

TEST_F(ShellCommands, Echo) {
  EXPECT_EQ(run("echo hello   world 'a  b' \"c\""), "hello world a  b c\n");
  EXPECT_EQ(run("echo"), "\n");
}

TEST_F(ShellCommands, LsShowsModeSizePath) {
  fake::system().files = {{"sbin", 0040755, ""}, {"sbin/init", 0100755, std::string(8712, 'x')},
                          {"etc/motd", 0100644, "Welcome\n"}};
  EXPECT_EQ(run("ls"),
            "drwxr-xr-x          0 /sbin\n"
            "-rwxr-xr-x       8712 /sbin/init\n"
            "-rw-r--r--          8 /etc/motd\n");
}

TEST_F(ShellCommands, CatReadsInChunks) {
  std::string big;
  for (int i = 0; i < 100; ++i) big += "line " + std::to_string(i) + "\n";
  fake::system().files = {{"etc/big", 0100644, big},
                          {"etc/no_newline", 0100644, "abc"},
                          {"sbin/init", 0100755, std::string("\x7f" "ELF\0\0", 6)}};
  EXPECT_EQ(run("cat /etc/big"), big);
  EXPECT_EQ(fake::system().read_calls, big.size() / 480 + 2);  // full chunks, the rest, the end
  EXPECT_EQ(run("cat /etc/no_newline"), "abc\n");
  EXPECT_EQ(run("cat /nope"), "shell: cat: /nope: not found\n");
  EXPECT_EQ(run("cat"), "usage: cat <path>\n");
  EXPECT_EQ(run("cat /sbin/init"), "shell: cat: /sbin/init: not a text file\n");
}

TEST_F(ShellCommands, PsColumns) {
  add_proc(1, "console", 50, ProcState::Blocked, 300 * 1024);
  add_proc(2, "shell", 100, ProcState::Running, 200 * 1024);
  fake::system().procs[0].restarts = 2;
  const std::string out = run("ps");
  EXPECT_EQ(out,
            "  PID NAME            PRIO STATE            MEM RESTARTS\n"
            "    1 console           50 blocked         300K        2\n"
            "    2 shell            100 running         200K        0\n");
}

TEST_F(ShellCommands, CapsTypesRightsAndWhatTheyCover) {
  add_proc(3, "console", 50, ProcState::Blocked, 0);
  add_proc(4, "idle", 50, ProcState::Blocked, 0);
  const auto type = [](mu::ObjectType t) { return static_cast<uint64_t>(t); };
  fake::system().caps[3] = {
      {1, type(mu::ObjectType::CNode), mu::kRightsAll, 0, 0},
      {4, type(mu::ObjectType::Endpoint), mu::kRightWrite | mu::kRightGrant, 3, 0},
      {6, type(mu::ObjectType::Frame4K), mu::kRightRead | mu::kRightWrite, 0x7ffffffd000, 1},
      {16, type(mu::ObjectType::IoPort), mu::kRightsAll, 0x3f8, 0x3ff},
      {17, type(mu::ObjectType::IrqHandler), mu::kRightsAll, 4, 0},
      {40, 99, 0, 0, 0},
  };
  EXPECT_EQ(run("caps 3"),
            " SLOT TYPE           RIGHTS BADGE\n"
            "    1 CNode          rwgR   -\n"
            "    4 Endpoint       -wg-   0x3\n"
            "    6 Frame4K        rw--   at 0x7ffffffd000\n"
            "   16 IoPort         rwgR   ports 0x3f8-0x3ff\n"
            "   17 IrqHandler     rwgR   irq 4\n"
            "   40 type 99        ----   -\n");
  EXPECT_EQ(run("caps 4"), "pid 4 holds no capabilities\n");
  EXPECT_EQ(run("caps 0x63"), "shell: caps: 99: no such process\n");
  EXPECT_EQ(run("caps x1"), "shell: caps: 'x1' is not a number\n");
  EXPECT_EQ(run("caps"), "usage: caps <pid>\n");
}

TEST_F(ShellCommands, KillAndRestart) {
  add_proc(3, "console", 50, ProcState::Blocked, 0);
  EXPECT_EQ(run("kill 3"), "killed pid 3\n");
  EXPECT_EQ(fake::system().killed, std::vector<uint64_t>{3});
  EXPECT_EQ(run("kill 7"), "shell: kill: 7: not found\n");
  EXPECT_EQ(run("kill 12abc"), "shell: kill: '12abc' is not a number\n");
  EXPECT_EQ(run("kill"), "usage: kill <pid>\n");
  EXPECT_EQ(run("restart console"), "restarted console as pid 103\n");
  EXPECT_EQ(run("restart nothing"), "shell: restart: nothing: not found\n");
}

TEST_F(ShellCommands, RunReportsHowTheProgramEnded) {
  fake::system().run_result = {ExitHow::Exited, 0, 7};
  EXPECT_EQ(run("run /bin/hello a  'b'"), "/bin/hello (pid 7) exited with code 0\n");
  EXPECT_EQ(fake::system().last_run, "/bin/hello a b");
  fake::system().run_result = {ExitHow::Exited, -3, 8};
  EXPECT_EQ(run("run /bin/x"), "/bin/x (pid 8) exited with code -3\n");
  fake::system().run_result = {ExitHow::Faulted, 14, 9};
  EXPECT_EQ(run("run /bin/faulter"), "/bin/faulter (pid 9) faulted: #PF (vector 14)\n");
  fake::system().run_result = {ExitHow::Faulted, 9, 9};
  EXPECT_EQ(run("run /bin/faulter"), "/bin/faulter (pid 9) faulted: exception (vector 9)\n");
  fake::system().run_result = {ExitHow::Killed, 0, 10};
  EXPECT_EQ(run("run /bin/spin"), "/bin/spin (pid 10) was killed\n");
  fake::system().run_status = mu::status_value(mu::Status::NotFound);
  EXPECT_EQ(run("run /bin/nothing"), "shell: run: /bin/nothing: not found\n");
  EXPECT_EQ(run("run"), "usage: run <program> [args...]\n");
  std::string many = "run /bin/hello";
  for (int i = 0; i < 14; ++i) many += " " + std::string(30, 'a');
  EXPECT_EQ(run(many), "shell: run: /bin/hello: not found\n");  // 16 words, 448 bytes
  EXPECT_EQ(fake::system().last_run.size(), many.size() - 4);
}

TEST_F(ShellCommands, MemAndPower) {
  fake::system().mem = {262144, 8192, 4096, 200000, 2048};
  EXPECT_EQ(run("mem"),
            "  total       262144 KiB\n"
            "  kernel        8192 KiB\n"
            "  services      4096 KiB\n"
            "  init          2048 KiB\n"
            "  free        200000 KiB\n");
  EXPECT_EQ(run("poweroff"), "shell: poweroff: insufficient rights\n");
  EXPECT_EQ(run("reboot now"), "usage: reboot\n");
}

}  // namespace
