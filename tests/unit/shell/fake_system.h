// A stand-in for init and the console on the host (fake_system.cc implements mu_client.h over
// it), so the shell's commands run in unit tests and their output can be checked.
#pragma once

#include <stdint.h>

#include <map>
#include <string>
#include <vector>

#include "mu/program.h"
#include "mu_client.h"

namespace fake {

struct File {
  std::string path;  // archive path, without a leading '/'
  uint64_t mode;
  std::string data;
};

struct System {
  std::string console;  // everything the shell wrote
  std::vector<mu::user::ProcInfo> procs;
  std::map<uint64_t, std::vector<mu::user::CapSlotInfo>> caps;  // by pid, ascending slots
  mu::user::MemInfo mem{};
  std::vector<File> files;
  mu::user::RunResult run_result{};
  int64_t run_status = 0;
  std::string last_run;      // the command line init_run got
  std::vector<uint64_t> killed;
  size_t read_calls = 0;
};

// The system the fake client functions use; reset by each test.
System& system();
void reset();

}  // namespace fake
