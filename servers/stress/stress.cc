// stress: random system calls from several threads, every result checked against the documented
// outcomes (expected.h), then a check that no kernel memory was lost.
//
// Runs as the root task: boot with `init=/tests/stress` (tests/system/test_captest.py). It uses
// captest's framework and support library, so it prints `ktest:` lines like captest, plus
//   stress: calls=N errors_unexpected=M
// Each of kWorkers threads gets a CSpace of its own (a 64-slot CNode) holding a small zoo of
// objects made for it (untyped, endpoints, notification, reply, a TCB that never ran, a private
// VSpace with page tables and frames, an I/O port range) and empty slots, and runs in init's
// VSpace. It makes random calls 0..60 with random slots (in range, empty, out of range, wrong
// type; revoked and moved ones appear as it goes) and random arguments from a fixed-seed PRNG.
// Left out: ThreadExit, ProcessExit and Spawn (they end the thread or start programs); blocking
// calls always carry a short timeout (r13 != 0); pointers handed to the kernel point at a
// scratch buffer or at nothing. The worker holds no capability to init's CNode, VSpace or TCBs,
// so nothing it does can reach the rest of the system except through the kernel's own checks.
#include "expected.h"
#include "framework.h"
#include "support.h"

using namespace mu::user;
using namespace captest;
using mu::ObjectType;

namespace {

constexpr unsigned kWorkers = 4;
constexpr uint64_t kDefaultCalls = 1ULL << 20;  // in total, split between the workers
constexpr uint64_t kMaxNumber = 60;
constexpr unsigned kWorkerRadix = 6;
constexpr uint64_t kWorkerSlots = uint64_t{1} << kWorkerRadix;
constexpr unsigned kMaxReports = 20;  // unexpected results printed in full (all are counted)
constexpr uint64_t kWorkerDeadlineNs = 900ULL * 1000 * 1000 * 1000;

// Slot layout of a worker's CNode when it starts.
enum WorkerSlot : uint64_t {
  kWsNull = 0,
  kWsSelf = 1,  // a copy of this CNode's own cap
  kWsUntyped = 2,
  kWsEndpoint = 3,
  kWsBadgedEndpoint = 4,
  kWsNotification = 5,
  kWsReply = 6,
  kWsTcb = 7,
  kWsVSpace = 8,
  kWsPdpt = 9,
  kWsPageDirectory = 10,
  kWsPageTable = 11,
  kWsFrame = 12,  // two frames
  kWsIoPort = 14,
  kWsReadOnlyNotification = 15,
  kWsFirstEmpty = 16,
};

// xorshift64*: small, fast, and the same sequence on every run.
struct Rng {
  uint64_t state;
  uint64_t next() {
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545'F491'4F6C'DD1DULL;
  }
  uint64_t below(uint64_t n) { return next() % n; }
};

struct alignas(4096) Scratch {
  uint8_t bytes[8192];
};

struct Worker {
  uint64_t cnode = 0;  // slot of its CNode in init's root
  Thread thread;
  uint64_t calls_wanted = 0;
  Scratch* scratch = nullptr;
  // Written by the worker, read by main once `done` is set (atomically, release/acquire).
  uint64_t calls = 0;
  uint64_t unexpected = 0;
  bool done = false;
  uint64_t per_number_unexpected[kMaxNumber + 1] = {};
};

Worker g_workers[kWorkers];
Scratch g_scratch[kWorkers];
unsigned g_reports;  // shared by the workers; a lost update only prints one line more

// Addresses a random pointer argument takes: the scratch buffer (inside it, so the kernel may
// write up to 4 KiB there), or memory that is not the caller's.
uint64_t random_pointer(Rng& rng, Scratch* scratch) {
  switch (rng.below(6)) {
    case 0: return reinterpret_cast<uint64_t>(scratch->bytes);
    case 1: return reinterpret_cast<uint64_t>(scratch->bytes) + rng.below(4096 - 256);
    case 2: return 0;
    case 3: return 0xFFFF'8000'0000'0000ULL + rng.below(1 << 30);  // kernel half
    case 4: return 0x0000'0800'0000'0000ULL + rng.below(1 << 30);  // nothing mapped
    default: return 0x0000'8000'0000'0000ULL - 8;                  // straddles the user end
  }
}

uint64_t random_slot(Rng& rng) {
  const uint64_t r = rng.below(100);
  if (r < 80) return rng.below(kWorkerSlots);
  if (r < 88) return kWorkerSlots + rng.below(64);
  if (r < 94) return mu::kSelfCNode;
  return rng.next();
}

uint64_t random_arg(Rng& rng, Scratch* scratch) {
  switch (rng.below(9)) {
    case 0:
    case 1: return random_slot(rng);
    case 2: return rng.below(300);
    case 3: return rng.next();
    case 4: return 0;
    case 5: return rng.below(32);                      // rights, map flags, object types
    case 6: return rng.below(1ULL << 47) & ~0xFFFULL;  // a page-aligned user address
    case 7: return random_pointer(rng, scratch);
    default: return rng.below(kWorkerSlots);
  }
}

bool is_blocking(uint64_t number) {
  switch (static_cast<mu::Sys>(number)) {
    case mu::Sys::Send:
    case mu::Sys::Recv:
    case mu::Sys::Call:
    case mu::Sys::ReplyRecv:
    case mu::Sys::NtfnWait: return true;
    default: return false;
  }
}

// Fills the registers for one call of `number`, keeping the call from ending the thread, blocking
// for long or writing outside the scratch buffer.
void make_call(Rng& rng, Scratch* scratch, uint64_t number, RawRegs* r) {
  for (uint64_t& reg : r->regs) reg = random_arg(rng, scratch);
  r->r12 = random_slot(rng);
  r->r13 = rng.next();
  switch (static_cast<mu::Sys>(number)) {
    case mu::Sys::DebugWrite:
      // Nothing reaches the console: a bad address, too long, or nothing at all.
      if (rng.below(2) == 0) {
        r->regs[0] = random_pointer(rng, scratch) | 0xFFFF'8000'0000'0000ULL;
      } else {
        r->regs[1] = rng.below(2) == 0 ? 0 : mu::kMaxDebugWrite + 1 + rng.below(1000);
      }
      break;
    case mu::Sys::SleepNs:
      r->regs[0] = rng.below(16) == 0 ? mu::kMaxSleepNs + 1 + rng.below(1000) : rng.below(2000);
      break;
    case mu::Sys::Wait: r->regs[0] = rng.below(2) == 0 ? 0 : 100000 + rng.below(1000); break;
    case mu::Sys::TcbReadRegisters:
    case mu::Sys::TcbWriteRegisters: r->regs[1] = random_pointer(rng, scratch); break;
    default: break;
  }
  if (is_blocking(number)) {
    // Never 0 (= wait for ever); sometimes above the limit (InvalidArgument).
    r->r13 = rng.below(64) == 0 ? mu::kMaxIpcTimeoutNs + 1 + rng.below(100) : 1 + rng.below(20000);
  }
}

void worker_main(uint64_t index) {
  Worker& w = g_workers[index];
  Rng rng{0x9E37'79B9'7F4A'7C15ULL * (index + 1)};
  mu::IpcBuffer* ipc = w.thread.ipc_buffer();
  for (uint64_t i = 0; i < w.calls_wanted; ++i) {
    if (i % 1024 == 0 && ipc != nullptr) {
      // What a message may transfer and where received caps go changes now and then too.
      ipc->caps[0] = random_slot(rng);
      ipc->receive_cnode = rng.below(4) == 0 ? 0 : random_slot(rng);
      ipc->receive_index = random_slot(rng);
    }
    uint64_t number = rng.below(kMaxNumber + 1);
    if (number == static_cast<uint64_t>(mu::Sys::ThreadExit) ||
        number == static_cast<uint64_t>(mu::Sys::ProcessExit) ||
        number == static_cast<uint64_t>(mu::Sys::Spawn)) {
      number = static_cast<uint64_t>(mu::Sys::Null);
    }
    RawRegs r{};
    make_call(rng, w.scratch, number, &r);
    const RawRegs sent = r;
    const int64_t result = syscall_raw(number, &r);
    ++w.calls;
    if (!stress::result_expected(number, result)) {
      ++w.unexpected;
      ++w.per_number_unexpected[number];
      if (g_reports < kMaxReports) {
        __atomic_add_fetch(&g_reports, 1, __ATOMIC_RELAXED);
        print(
            "stress: worker %lu call %lu: sys %lu(0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx; "
            "r12=0x%lx r13=0x%lx) returned %ld (%s)\n",
            index, i, number, sent.regs[0], sent.regs[1], sent.regs[2], sent.regs[3], sent.regs[4],
            sent.regs[5], sent.r12, sent.r13, result,
            mu::status_string(static_cast<mu::Status>(result)));
      }
    }
  }
  __atomic_store_n(&w.done, true, __ATOMIC_RELEASE);
  for (;;) yield();  // main suspends it
}

// Retypes `type` straight into slot `index` of the worker's CNode.
int64_t give(uint64_t cnode, uint64_t index, ObjectType type, uint64_t user_bits) {
  return untyped_retype(arena(), type, user_bits, cnode, index, 1);
}

// Builds worker `index`'s CSpace (layout in WorkerSlot).
int64_t build_cspace(uint64_t cnode) {
  int64_t r = cap_copy(mu::kSelfCNode, cnode, cnode, kWsSelf, mu::kRightsAll);
  if (r == 0) r = give(cnode, kWsUntyped, ObjectType::Untyped, 16);
  if (r == 0) r = give(cnode, kWsEndpoint, ObjectType::Endpoint, 0);
  if (r == 0) r = cap_mint(cnode, kWsEndpoint, cnode, kWsBadgedEndpoint, mu::kRightsAll, 0xB0B);
  if (r == 0) r = give(cnode, kWsNotification, ObjectType::Notification, 0);
  if (r == 0) r = give(cnode, kWsReply, ObjectType::Reply, 0);
  if (r == 0) r = give(cnode, kWsTcb, ObjectType::Tcb, 0);
  if (r == 0) r = give(cnode, kWsVSpace, ObjectType::VSpace, 0);
  if (r == 0) r = give(cnode, kWsPdpt, ObjectType::Pdpt, 0);
  if (r == 0) r = give(cnode, kWsPageDirectory, ObjectType::PageDirectory, 0);
  if (r == 0) r = give(cnode, kWsPageTable, ObjectType::PageTable, 0);
  if (r == 0) r = give(cnode, kWsFrame, ObjectType::Frame4K, 0);
  if (r == 0) r = give(cnode, kWsFrame + 1, ObjectType::Frame4K, 0);
  if (r == 0) r = cap_copy(mu::kSelfCNode, mu::kInitSlotIoPort, cnode, kWsIoPort, mu::kRightsAll);
  if (r == 0) {
    r = cap_copy(cnode, kWsNotification, cnode, kWsReadOnlyNotification, mu::kRightRead);
  }
  return r;
}

uint64_t total_calls() {
  const StartInfo& info = start_info();
  const char* line = info.cmdline;
  const size_t n = line == nullptr ? 0 : info.cmdline_length;
  static const char kKey[] = "stress_calls=";
  for (size_t i = 0; i + sizeof(kKey) - 1 <= n; ++i) {
    if ((i == 0 || line[i - 1] == ' ') && starts_with(line + i, n - i, kKey)) {
      uint64_t value = 0;
      for (size_t j = i + sizeof(kKey) - 1; j < n && line[j] >= '0' && line[j] <= '9'; ++j) {
        value = value * 10 + static_cast<uint64_t>(line[j] - '0');
      }
      if (value > 0) return value;
    }
  }
  return kDefaultCalls;
}

}  // namespace

MU_TEST(stress, random_syscalls) {
  const uint64_t total = total_calls();
  for (unsigned i = 0; i < kWorkers; ++i) {
    Worker& w = g_workers[i];
    w.scratch = &g_scratch[i];
    w.calls_wanted = total / kWorkers + (i < total % kWorkers ? 1 : 0);
    w.cnode = new_object(ObjectType::CNode, kWorkerRadix);
    ASSERT_NE(w.cnode, 0);
    ASSERT_OK(build_cspace(w.cnode));
  }
  for (unsigned i = 0; i < kWorkers; ++i) {
    ThreadOptions options;
    options.cspace = g_workers[i].cnode;
    ASSERT_OK(create_thread(&g_workers[i].thread, &worker_main, i, options));
  }
  const uint64_t deadline = clock_ns() + kWorkerDeadlineNs;
  for (;;) {
    unsigned done = 0;
    for (Worker& w : g_workers) done += __atomic_load_n(&w.done, __ATOMIC_ACQUIRE) ? 1 : 0;
    if (done == kWorkers || clock_ns() > deadline) break;
    yield();
  }
  uint64_t calls = 0, unexpected = 0;
  for (const Worker& w : g_workers) {
    (void)tcb_suspend(w.thread.tcb);
    calls += w.calls;
    unexpected += w.unexpected;
  }
  for (uint64_t number = 0; number <= kMaxNumber; ++number) {
    uint64_t count = 0;
    for (const Worker& w : g_workers) count += w.per_number_unexpected[number];
    if (count != 0) print("stress: sys %lu: %lu unexpected results\n", number, count);
  }
  print("stress: calls=%lu errors_unexpected=%lu\n", calls, unexpected);
  for (const Worker& w : g_workers) ASSERT_TRUE(w.done);
  ASSERT_EQ(calls, total);
  ASSERT_EQ(unexpected, 0);
  // Leaving the case revokes the arena all of this came from; the framework then checks that the
  // boot untyped is back at watermark 0, i.e. every object the workers made was freed.
}

// After the storm: an untyped can still be filled completely, and revoke gives it all back.
MU_TEST(stress, untyped_full_cycle_after_stress) {
  const uint64_t untyped = new_untyped(20);
  ASSERT_NE(untyped, 0);
  const uint64_t first = alloc_slots(256);
  ASSERT_NE(first, 0);
  for (unsigned round = 0; round < 4; ++round) {
    ASSERT_OK(untyped_retype(untyped, ObjectType::Frame4K, 0, mu::kSelfCNode, first, 256));
    ASSERT_EQ(untyped_free(untyped), 0);
    ASSERT_OK(cap_revoke(mu::kSelfCNode, untyped));
    ASSERT_EQ(untyped_free(untyped), 1 << 20);
  }
  // And the parent of every arena is whole again after the previous case.
  uint64_t watermark = 1;
  ASSERT_TRUE(cap_identify(arena_parent(), &watermark) >= 0);
  ASSERT_EQ(watermark, uint64_t{1} << arena_bits());  // only this case's arena is in it
}
