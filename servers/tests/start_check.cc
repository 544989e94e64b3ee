// A program init starts to check the start-up ABI (mu/program.h): prints what its ProgramStart
// page and fixed slots hold, then exits with the number of problems found
// (tests/system/test_init.py).
#include "mu/program.h"
#include "mu_caps.h"
#include "mu_user.h"

using namespace mu::user;

namespace {

int64_t g_problems = 0;

void expect_slot(const char* what, uint64_t slot, mu::ObjectType type) {
  CapInfo info{};
  const int64_t r = cap_identify(slot, &info);
  const bool ok = r >= 0 && info.type == type;
  if (!ok) ++g_problems;
  print("start_check: slot %lu (%s): %s\n", slot, what, ok ? "ok" : "WRONG");
}

}  // namespace

extern "C" int64_t mu_main(const StartInfo* info) {
  const auto* start = reinterpret_cast<const mu::ProgramStart*>(mu::kProgramStartAddr);
  if (start->magic != mu::kProgramStartMagic) {
    print("start_check: bad ProgramStart magic\n");
    return 1;
  }
  print("start_check: pid=%lu name=%s argc=%lu priority=%lu flags=%lu first_free_slot=%lu "
        "untyped_bytes=%lu grants=%lu arg=%lu\n",
        start->pid, start->name, start->argc, start->priority, start->flags,
        start->first_free_slot, start->untyped_bytes, start->grant_count, info->arg);
  for (uint64_t i = 0; i < start->argc && i < mu::kMaxProgramArgs; ++i) {
    print("start_check: argv[%lu]=%s\n", i, start->args + start->argv_offset[i]);
  }
  for (uint64_t i = 0; i < start->grant_count && i < mu::kMaxGrants; ++i) {
    const mu::Grant& g = start->grants[i];
    print("start_check: grant kind=%u slot=%lu count=%u a=0x%lx b=0x%lx name=%s\n",
          static_cast<unsigned>(g.kind), g.slot, g.count, g.a, g.b, g.name);
    if (g.kind == mu::GrantKind::IoPort && i == 0) {
      // The first port range is set on the thread: reading it must not fault.
      uint8_t value = 0;
      asm volatile("inb %w1, %0" : "=a"(value) : "Nd"(static_cast<uint16_t>(g.a)));
      print("start_check: port 0x%lx readable\n", g.a);
    }
    if (g.kind == mu::GrantKind::Framebuffer) {
      print("start_check: framebuffer %ux%u pitch=%u bytes=%lu\n", start->fb.width,
            start->fb.height, start->fb.pitch, start->fb.bytes);
    }
  }
  expect_slot("cnode", mu::kProgSlotCNode, mu::ObjectType::CNode);
  expect_slot("tcb", mu::kProgSlotTcb, mu::ObjectType::Tcb);
  expect_slot("vspace", mu::kProgSlotVSpace, mu::ObjectType::VSpace);
  expect_slot("init", mu::kProgSlotInit, mu::ObjectType::Endpoint);
  if (start->untyped_bytes != 0) expect_slot("untyped", mu::kProgSlotUntyped, mu::ObjectType::Untyped);
  expect_slot("ipc buffer", mu::kProgSlotIpcBuffer, mu::ObjectType::Frame4K);
  expect_slot("reply", mu::kProgSlotReply, mu::ObjectType::Reply);
  print("start_check: %ld problems\n", g_problems);
  return g_problems;
}
