// A client of the console server for tests/system/test_console.py: checks the protocol's
// answers (proto/console.h) with raw calls, then reads lines the test types and prints them:
//   console_check: <what>: ok | WRONG (status N)
//   console_check: line 'text'        (a ReadLine result)
//   console_check: interrupted        (a ReadLine ended by Ctrl-C)
// It exits after two lines and one interruption.
#include "mu/program.h"
#include "mu/proto/console.h"
#include "mu/proto/message.h"
#include "mu_caps.h"
#include "mu_client.h"
#include "mu_runtime.h"
#include "mu_user.h"

using namespace mu::user;
namespace console = mu::proto::console;

namespace {

uint64_t g_console = 0;
int64_t g_problems = 0;

mu::proto::Words words(Message* m) { return mu::proto::Words{m->mr, my_ipc_buffer()}; }

// One call with `length` message words (filled by the caller); returns MR0 of the reply (or the
// call's error).
int64_t call_console(console::Op op, Message* m, unsigned length) {
  m->tag = mu::MessageTag::make(static_cast<uint64_t>(op), length).raw;
  const int64_t r = call(g_console, m);
  return r != 0 ? r : static_cast<int64_t>(m->mr[0]);
}

void expect(const char* what, int64_t got, int64_t wanted) {
  const bool ok = got == wanted;
  if (!ok) ++g_problems;
  print("console_check: %s: %s (status %ld)\n", what, ok ? "ok" : "WRONG", got);
}

int64_t write_text(const char* text) {
  Message m{};
  const size_t length = string_length(text);
  words(&m).set(0, length);
  const unsigned end = words(&m).put_bytes(1, text, length);
  return call_console(console::Op::Write, &m, end);
}

}  // namespace

extern "C" int64_t mu_main(const StartInfo*) {
  g_console = slot_alloc();
  const int64_t found = ns_lookup(console::kServiceName, g_console);
  if (found != 0) {
    print("console_check: lookup of the console failed (%ld)\n", found);
    return 1;
  }
  const auto invalid = mu::status_value(mu::Status::InvalidArgument);
  expect("write", write_text("console_check: written through the console\n"), 0);
  Message m{};
  words(&m).set(0, console::kMaxWriteBytes + 1);
  expect("write too long", call_console(console::Op::Write, &m, 63), invalid);
  m = Message{};
  words(&m).set(0, 40);  // 40 bytes need 5 words after the length; only 2 sent
  expect("write shorter than its length", call_console(console::Op::Write, &m, 3), invalid);
  m = Message{};
  expect("unknown operation", call_console(static_cast<console::Op>(99), &m, 0), invalid);
  m = Message{};
  words(&m).set(0, 16);
  words(&m).set(1, 0);
  expect("colour out of range", call_console(console::Op::SetColor, &m, 2), invalid);
  m = Message{};
  words(&m).set(0, console::kMaxLineBytes + 1);
  expect("read line too long", call_console(console::Op::ReadLine, &m, 1), invalid);
  m = Message{};
  words(&m).set(0, 14);  // yellow
  words(&m).set(1, 1);   // on blue
  expect("set colour", call_console(console::Op::SetColor, &m, 2), 0);
  (void)write_text("console_check: in colour\n");
  m = Message{};
  words(&m).set(0, 7);
  words(&m).set(1, 0);
  (void)call_console(console::Op::SetColor, &m, 2);
  print("console_check: problems=%ld; reading\n", g_problems);

  unsigned lines = 0, interrupts = 0;
  while (lines < 2 || interrupts < 1) {
    m = Message{};
    words(&m).set(0, console::kMaxLineBytes);
    const int64_t status = call_console(console::Op::ReadLine, &m, 1);
    if (status == console::kInterrupted) {
      ++interrupts;
      print("console_check: interrupted\n");
      continue;
    }
    if (status != 0) {
      print("console_check: read failed (%ld)\n", status);
      return 1;
    }
    char text[console::kMaxLineBytes + 1];
    const size_t length = words(&m).get(1);
    words(&m).get_bytes(2, text, length);
    text[length] = '\0';
    ++lines;
    print("console_check: line '%s'\n", text);
  }
  return g_problems;
}
