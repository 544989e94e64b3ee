// init, the root task: owns all memory (the boot Untypeds), builds every program from the
// initrd, supervises the services of /etc/services and serves proto/init.h (docs/protocols.md
// "init"). With `utest=` or `bench` on the kernel command line it runs the kernel-core test
// programs instead and exits, so the kernel ends the boot with their verdict.
#include "event_loop.h"
#include "initrd.h"
#include "kernel_core_tests.h"
#include "mu/program.h"
#include "mu_caps.h"
#include "mu_user.h"
#include "pool.h"
#include "program_builder.h"
#include "requests.h"
#include "supervisor.h"

using namespace mu::user;

namespace {

// The value of `key` on the command line (a word equal to it or starting with it), or nullptr.
const char* find_word(const StartInfo* info, const char* key, size_t* len) {
  const char* line = info->cmdline;
  const size_t n = info->cmdline_length;
  const size_t key_len = string_length(key);
  size_t i = 0;
  while (i < n) {
    while (i < n && line[i] == ' ') ++i;
    size_t end = i;
    while (end < n && line[end] != ' ') ++end;
    if (starts_with(line + i, end - i, key)) {
      *len = end - i - key_len;
      return line + i + key_len;
    }
    i = end;
  }
  return nullptr;
}

bool has_flag(const StartInfo* info, const char* word) {
  size_t len = 0;
  return find_word(info, word, &len) != nullptr && len == 0;
}

constexpr char kServicesPath[] = "/etc/services";

}  // namespace

extern "C" int64_t mu_main(const StartInfo* info) {
  print("init: running in user mode, pid=%ld, initrd at 0x%lx (%lu bytes)\n", get_pid(),
        info->initrd_base, info->initrd_size);
  const mu::InitBootCaps& caps = *init_boot_caps();
  if (caps.magic != mu::kInitBootCapsMagic) {
    print("init: the boot capability record is missing (bad magic); stopping\n");
    return 1;
  }
  init::slots_init(caps.first_free_slot);
  init::initrd_init(info->initrd_base, info->initrd_size);
  if (!init::pool_init(caps) || !init::event_loop_init()) {
    print("init: no memory for init's own objects; stopping\n");
    return 1;
  }
  const bool bench = has_flag(info, "bench");
  uint64_t flags = 0;
  if (bench) flags |= mu::kProgramFlagBench;
  if (has_flag(info, "test")) flags |= mu::kProgramFlagTest;
  init::builder_init(flags, info->kernel_tsc, init::init_endpoint());
  init::requests_init();

  size_t len = 0;
  const char* tests = find_word(info, "utest=", &len);
  if (bench) init::run_bench(info);
  if (tests != nullptr) {
    const int64_t failed = init::run_kernel_core_tests(tests, len);
    init::own_release();
    return failed == 0 ? 0 : 1;
  }
  // `bench` alone goes on to the services: the shell reports boot_to_prompt_insn.

  print("init: memory pool %lu KiB in %lu untyped caps\n", init::pool_total_bytes() >> 10,
        caps.untyped.count);
  init::InitrdFile services{};
  if (init::initrd_find(kServicesPath, sizeof(kServicesPath) - 1, &services)) {
    init::supervisor_start_services(reinterpret_cast<const char*>(services.data), services.size);
  } else {
    print("init: %s: not in the initrd; no services started\n", kServicesPath);
  }
  init::serve_forever();
}
