// shell: the interactive command line on the console (/sbin/shell, a manifest service).
// Prints a banner and the prompt `muos> `, reads one line at a time from the console server,
// splits it into words (tokenizer.h) and runs the command of the first word (commands.h).
// Nothing typed can end it: bad input gets a one-line error and the prompt comes back.
#include "commands.h"
#include "mu/proto/console.h"
#include "mu/program.h"  // before mu_client.h, which needs IpcBuffer and kProgramNameMax
#include "mu_client.h"
#include "mu_runtime.h"
#include "mu_user.h"
#include "names.h"

using namespace mu::user;

namespace {

constexpr char kPrompt[] = "muos> ";
constexpr uint64_t kRetryFirstNs = 10ULL * 1000 * 1000;  // console gone: first look after
constexpr uint64_t kRetryMaxNs = 1000ULL * 1000 * 1000;   // and the longest wait between looks

void print_prompt() { console_write(kPrompt, sizeof(kPrompt) - 1); }

// Sleeps (10 ms, doubling up to 1 s) until init's name service knows "console" again.
void wait_for_console() {
  uint64_t delay_ns = kRetryFirstNs;
  for (;;) {
    sleep_ns(delay_ns);
    delay_ns = delay_ns * 2 > kRetryMaxNs ? kRetryMaxNs : delay_ns * 2;
    const uint64_t slot = slot_alloc();
    if (slot == 0) return;  // cannot look: let the read itself find out
    const int64_t found = ns_lookup(mu::proto::console::kServiceName, slot);
    slot_free(slot);
    if (found >= 0) return;
  }
}

// bench mode (kernel command line `bench`): two figures for tests/system/bench.py.
//   boot_to_prompt_insn: TSC ticks (= guest instructions under -icount shift=0) from the
//     kernel's entry to the moment the shell is about to print its first prompt.
//   mem_at_prompt_kib: RAM in use at that moment: init's MemInfo total - free, i.e. what the
//     kernel kept, init's own image and tables, and everything retyped for programs.
void print_bench_figures(const mu::ProgramStart* start) {
  const uint64_t ticks = rdtsc() - start->boot_tsc;
  console_print("bench: boot_to_prompt_insn=%lu\n", ticks);
  MemInfo mem{};
  if (init_mem_info(&mem) >= 0) {
    console_print("bench: mem_at_prompt_kib=%lu\n", mem.total_kib - mem.free_kib);
  } else {
    console_print("shell: bench: mem info unavailable\n");
  }
}

}  // namespace

extern "C" int64_t mu_main(const StartInfo*) {
  const mu::ProgramStart* start = program_start();
  console_print("muOS shell: type 'help' for the commands\n");
  if (start != nullptr && (start->flags & mu::kProgramFlagBench) != 0) print_bench_figures(start);

  // One spare byte over the console's limit so a full line still gets its NUL.
  static char line[mu::proto::console::kMaxLineBytes + 1];
  bool console_lost = false;
  for (;;) {
    print_prompt();
    const int64_t length = console_read_line(line, sizeof(line));
    if (length == mu::proto::console::kInterrupted) continue;  // Ctrl-C: a fresh prompt
    if (length < 0) {
      // The console went away (killed, faulted, restarting). Said once, on serial; then wait
      // until a console is registered again, so the next prompt appears on the new one.
      if (!console_lost) {
        print("\nshell: console read failed: %s; waiting for the console\n",
              shell::status_text(length));
        console_lost = true;
      }
      wait_for_console();
      continue;
    }
    console_lost = false;
    const size_t used = static_cast<size_t>(length) < sizeof(line) ? static_cast<size_t>(length)
                                                                 : sizeof(line) - 1;
    shell::run_command_line(line, used);
  }
}
