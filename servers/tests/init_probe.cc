// Exercises init's protocol (proto/init.h) from a service (tests/system/test_init.py). Started
// with the argument `idle` it only sleeps (a service for kill and restart to act on). Otherwise
// every check prints `init_probe: <check>: ok` or `... FAIL <detail>`, then
// `init_probe: N failed`, and the probe asks init to power off.
#include "mu/program.h"
#include "mu/proto/init.h"
#include "mu/proto/message.h"
#include "mu_caps.h"
#include "mu_user.h"

using namespace mu::user;
using mu::proto::Words;
using mu::proto::init::ExitHow;
using mu::proto::init::Op;

namespace {

int64_t g_failed = 0;
const mu::ProgramStart* g_start;
uint64_t g_next_slot;

void check(const char* what, bool ok, const char* detail = "", int64_t value = 0) {
  if (!ok) ++g_failed;
  if (ok) {
    print("init_probe: %s: ok\n", what);
  } else {
    print("init_probe: %s: FAIL %s (%ld)\n", what, detail, value);
  }
}

Words words(Message* m) { return Words{m->mr, ipc_buffer_at(mu::kProgramIpcBufferAddr)}; }

// Calls init with `op` and a string argument after `before` plain words.
int64_t call_init(Op op, Message* m, unsigned length, uint64_t caps = 0) {
  m->tag = mu::MessageTag::make(static_cast<uint64_t>(op), length, caps).raw;
  const int64_t r = call(mu::kProgSlotInit, m);
  return r != 0 ? r : static_cast<int64_t>(m->mr[0]);
}

unsigned put_string(Message* m, unsigned first, const char* s) {
  const size_t len = string_length(s);
  words(m).set(first, len);
  return words(m).put_bytes(first + 1, s, len);
}

bool name_is(Message* m, unsigned first, const char* want) {
  char got[64];
  const uint64_t len = words(m).get(first);
  if (len >= sizeof(got)) return false;
  words(m).get_bytes(first + 1, got, len);
  got[len] = '\0';
  return string_length(want) == len && starts_with(got, len, want);
}

uint64_t find_pid(const char* name, uint64_t* state) {
  for (uint64_t i = 0; i < 64; ++i) {
    Message m;
    m.mr[0] = i;
    if (call_init(Op::ProcInfo, &m, 1) != 0) break;
    if (name_is(&m, 6, name)) {
      if (state != nullptr) *state = m.mr[3];
      return m.mr[1];
    }
  }
  return 0;
}

void check_names() {
  const uint64_t ep = g_next_slot++;
  check("retype endpoint",
        untyped_retype(mu::kProgSlotUntyped, mu::ObjectType::Endpoint, 0, mu::kSelfCNode, ep) == 0);
  Message m;
  ipc_buffer_at(mu::kProgramIpcBufferAddr)->caps[0] = ep;
  int64_t r = call_init(Op::Register, &m, put_string(&m, 0, "probe"), 1);
  check("register provided name", r == 0, "status", r);
  m = Message{};
  ipc_buffer_at(mu::kProgramIpcBufferAddr)->caps[0] = ep;
  r = call_init(Op::Register, &m, put_string(&m, 0, "console"), 1);
  check("register a name not provided refused",
        r == mu::status_value(mu::Status::InsufficientRights), "status", r);

  mu::IpcBuffer* buffer = ipc_buffer_at(mu::kProgramIpcBufferAddr);
  const uint64_t got = g_next_slot++;
  buffer->receive_cnode = mu::kSelfCNode;
  buffer->receive_index = got;
  m = Message{};
  r = call_init(Op::Lookup, &m, put_string(&m, 0, "probe"));
  check("lookup of its own provided name refused", r == mu::status_value(mu::Status::InsufficientRights),
        "own name is provided, not used", r);
  m = Message{};
  r = call_init(Op::Lookup, &m, put_string(&m, 0, "idle"));
  CapInfo info{};
  const bool identified = cap_identify(got, &info) >= 0;
  check("lookup of the idle service",
        r == 0 && identified && info.type == mu::ObjectType::Endpoint && info.word0 == g_start->pid &&
            info.rights == (mu::kRightWrite | mu::kRightGrantReply),
        "status, badge or rights", r);
  m = Message{};
  r = call_init(Op::Lookup, &m, put_string(&m, 0, "console"));
  check("lookup of a name not used refused", r == mu::status_value(mu::Status::InsufficientRights),
        "status", r);
  buffer->receive_cnode = 0;
}

void check_info() {
  uint64_t state = 0;
  check("procinfo lists the probe", find_pid("probe", &state) == g_start->pid, "pid", 0);
  // While init answers, the probe waits for the reply.
  check("procinfo: probe blocked in its call", state == static_cast<uint64_t>(mu::proto::init::ProcState::Blocked),
        "state", static_cast<int64_t>(state));
  check("procinfo lists init", find_pid("init", nullptr) == 1);
  const uint64_t idle = find_pid("idle", &state);
  check("procinfo: idle blocked", idle != 0 && state == static_cast<uint64_t>(mu::proto::init::ProcState::Blocked),
        "state", static_cast<int64_t>(state));

  Message m;
  m.mr[0] = g_start->pid;
  m.mr[1] = 0;
  int64_t r = call_init(Op::ProcCap, &m, 2);
  check("proccap: first full slot is the CNode",
        r == 0 && m.mr[1] == mu::kProgSlotCNode && m.mr[2] == static_cast<uint64_t>(mu::ObjectType::CNode),
        "status", r);

  m = Message{};
  r = call_init(Op::MemInfo, &m, 0);
  print("init_probe: meminfo total=%lu kernel=%lu services=%lu free=%lu init=%lu KiB\n", m.mr[1],
        m.mr[2], m.mr[3], words(&m).get(4), words(&m).get(5));
  check("meminfo", r == 0 && m.mr[1] > 0 && m.mr[3] > 0 && words(&m).get(4) > 0, "status", r);

  bool found = false;
  for (uint64_t i = 0; i < 64 && !found; ++i) {
    m = Message{};
    m.mr[0] = i;
    if (call_init(Op::ListFile, &m, 1) != 0) break;
    found = name_is(&m, 3, "/etc/motd");
  }
  check("listfile finds /etc/motd", found);
  m = Message{};
  m.mr[0] = 0;
  m.mr[1] = 480;
  r = call_init(Op::ReadFile, &m, put_string(&m, 2, "/etc/motd"));
  char text[481];
  const uint64_t n = m.mr[1] < 480 ? m.mr[1] : 480;
  words(&m).get_bytes(2, text, n);
  text[n] = '\0';
  check("readfile /etc/motd", r == 0 && n > 0, "status", r);
  print("init_probe: motd says: %s", text);
}

uint64_t free_kib() {
  Message m;
  return call_init(Op::MemInfo, &m, 0) == 0 ? words(&m).get(4) : 0;
}

void check_run() {
  const uint64_t free_before = free_kib();
  Message m;
  int64_t r = call_init(Op::Run, &m, put_string(&m, 0, "/tests/start_check one two"));
  check("run start_check: exited 0",
        r == 0 && m.mr[1] == static_cast<uint64_t>(ExitHow::Exited) && m.mr[2] == 0 && m.mr[3] != 0,
        "status", r);
  const uint64_t free_after = free_kib();
  check("run gives its memory back", free_before != 0 && free_after == free_before, "KiB lost",
        static_cast<int64_t>(free_before - free_after));
  m = Message{};
  r = call_init(Op::Run, &m, put_string(&m, 0, "crash_null"));
  check("run crash_null: faulted #PF",
        r == 0 && m.mr[1] == static_cast<uint64_t>(ExitHow::Faulted) && m.mr[2] == 14, "status", r);
  m = Message{};
  r = call_init(Op::Run, &m, put_string(&m, 0, "/no/such/program"));
  check("run of a missing program", r == mu::status_value(mu::Status::NotFound), "status", r);
}

void check_control() {
  const uint64_t idle = find_pid("idle", nullptr);
  Message m;
  m.mr[0] = idle;
  int64_t r = call_init(Op::Kill, &m, 1);
  check("kill idle", r == 0, "status", r);
  // Restarted after its backoff with a new pid.
  uint64_t again = 0;
  for (int i = 0; i < 200 && (again == 0 || again == idle); ++i) {
    (void)sleep_ns(10 * 1000 * 1000);
    again = find_pid("idle", nullptr);
  }
  check("idle restarted with a new pid", again != 0 && again != idle, "pid", static_cast<int64_t>(again));
  m = Message{};
  r = call_init(Op::Restart, &m, put_string(&m, 0, "idle"));
  check("restart idle", r == 0 && m.mr[1] != again && m.mr[1] != 0, "status", r);
  m = Message{};
  r = call_init(Op::Restart, &m, put_string(&m, 0, "nothing"));
  check("restart of an unknown service", r == mu::status_value(mu::Status::NotFound), "status", r);
}

}  // namespace

extern "C" int64_t mu_main(const StartInfo*) {
  g_start = reinterpret_cast<const mu::ProgramStart*>(mu::kProgramStartAddr);
  g_next_slot = g_start->first_free_slot;
  if (g_start->argc > 1 && starts_with(g_start->args + g_start->argv_offset[1], 4, "idle")) {
    // Registers "idle", then sleeps for ever.
    const uint64_t ep = g_next_slot++;
    Message m;
    (void)untyped_retype(mu::kProgSlotUntyped, mu::ObjectType::Endpoint, 0, mu::kSelfCNode, ep);
    ipc_buffer_at(mu::kProgramIpcBufferAddr)->caps[0] = ep;
    const int64_t r = call_init(Op::Register, &m, put_string(&m, 0, "idle"), 1);
    if (r != 0) print("init_probe: idle: register failed (%ld)\n", r);
    for (;;) (void)sleep_ns(1000ULL * 1000 * 1000);
  }
  (void)sleep_ns(50 * 1000 * 1000);  // lets the lower-priority idle service register and sleep
  check_names();
  check_info();
  check_run();
  check_control();
  print("init_probe: %ld failed\n", g_failed);
  Message m;
  const int64_t r = call_init(Op::PowerOff, &m, 0);
  print("init_probe: poweroff returned %ld\n", r);
  return 1;
}
