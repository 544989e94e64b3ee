// stress: random system calls from several threads, every result checked against the documented
// outcomes (expected.h), then a check that no kernel memory was lost.
//
// Runs as the root task: boot with `init=/tests/stress` (tests/system/test_captest.py); optional
// `stress_calls=N` (default 2^20) and `stress_seed=N` (default 1) on the kernel command line. It
// uses captest's framework and support library, so it prints `ktest:` lines like captest, plus
//   stress: calls=N errors_unexpected=M
// Each of kWorkers threads gets a CSpace of its own (a 64-slot CNode) holding a small zoo of
// objects made for it (untyped, endpoints, notification, reply, a TCB that never ran, a private
// VSpace with page tables and frames, an I/O port range) and empty slots, and runs in init's
// VSpace. Every kRoundCalls calls it pauses while main empties its CNode, revokes the pool untyped
// all of its objects came from (checking the memory comes back whole) and restocks it. It makes
// random calls 0..60 with random slots (in range, empty, out of range, wrong type; revoked and
// moved ones appear as it goes) and random arguments from a fixed-seed PRNG. Left out: ThreadExit
// and ProcessExit (they end the thread); blocking calls always carry a
// short timeout (r13 != 0); pointers handed to the kernel point at a scratch buffer or at nothing.
// The worker holds no capability to init's CNode, VSpace or TCBs, so nothing it does can reach the
// rest of the system except through the kernel's own checks.
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
constexpr uint64_t kRoundCalls = 2048;
constexpr unsigned kPoolBits = 18;  // 256 KiB per worker per round

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
  kWsSharedEndpoint = 16,      // copies of one endpoint and one notification every worker holds, so
  kWsSharedNotification = 17,  // their IPC meets (messages, calls, capability transfers)
  kWsFirstEmpty = 18,
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
  // Rounds: after kRoundCalls calls the worker sets `waiting` and spins (yielding) until main has
  // restocked its CSpace and cleared the flag; its random deletes would otherwise soon leave it
  // nothing to call.
  bool waiting = false;
  uint64_t pool = 0;  // untyped in init's root that everything in the worker's CSpace comes from
  uint64_t restock_failures = 0;
  uint64_t per_number_unexpected[kMaxNumber + 1] = {};
  uint64_t per_number_ok[kMaxNumber + 1] = {};  // calls that returned >= 0
};

Worker g_workers[kWorkers];
uint64_t g_seed;             // stress_seed=N on the command line (default 1)
uint64_t g_shared_endpoint;  // slots in init's root
uint64_t g_shared_notification;
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

// Mostly the slots the worker started with (so calls get far enough to do something), then the
// rest of its CNode (empty, or filled by its own retypes, copies and moves), then slots outside
// it, its CNode itself and garbage.
uint64_t random_slot(Rng& rng) {
  const uint64_t r = rng.below(100);
  if (r < 60) return rng.below(kWsFirstEmpty);
  if (r < 82) return rng.below(kWorkerSlots);
  if (r < 90) return kWorkerSlots + rng.below(64);
  if (r < 95) return mu::kSelfCNode;
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

// Appends " <number>:<count>" to line[0..size) at n; returns the new length (NUL-terminated).
size_t append_count(char* line, size_t size, size_t n, uint64_t number, uint64_t count) {
  char digits[48];
  size_t d = 0;
  do {
    digits[d++] = static_cast<char>('0' + count % 10);
    count /= 10;
  } while (count != 0);
  digits[d++] = ':';
  do {
    digits[d++] = static_cast<char>('0' + number % 10);
    number /= 10;
  } while (number != 0);
  digits[d++] = ' ';
  while (d > 0 && n + 1 < size) line[n++] = digits[--d];
  line[n] = '\0';
  return n;
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
// The argument kinds of each call ("shape", one letter per argument register, then r12), so that
// most calls get plausible arguments and reach the checks and actions behind the first lookup:
//   s any slot   c CNode argument   r rights mask   b badge   t object type   n size bits
//   k count   a user address   f map flags   p priority   x pointer   l IRQ line   o port
//   i I/O-port grant index
//   g message tag   and a slot that usually holds the type the call wants: U untyped, T TCB,
//   C CNode, V VSpace, P page table (any level), F frame, E endpoint, N notification, R reply,
//   I I/O ports
const char* shape_of(uint64_t number) {
  switch (static_cast<mu::Sys>(number)) {
    case mu::Sys::CapCopy: return "cscsr";
    case mu::Sys::CapMint: return "cscsrb";
    case mu::Sys::CapMove: return "cscs";
    case mu::Sys::CapDelete:
    case mu::Sys::CapRevoke:
    case mu::Sys::CapIdentifyIn: return "cs";
    case mu::Sys::UntypedRetype: return "Utncsk";
    case mu::Sys::TcbConfigure: return "TCVFaE";
    case mu::Sys::TcbSetPriority:
    case mu::Sys::TcbSetMcp: return "Tp";
    case mu::Sys::TcbReadRegisters:
    case mu::Sys::TcbWriteRegisters: return "Tx";
    case mu::Sys::TcbResume:
    case mu::Sys::TcbSuspend:
    case mu::Sys::TcbGetInfo:
    case mu::Sys::TcbUnbindNotification: return "T";
    case mu::Sys::TcbBindNotification: return "TN";
    case mu::Sys::TcbSetIoPorts: return "TIi";
    case mu::Sys::Send:
    case mu::Sys::NBSend:
    case mu::Sys::Call: return "Eg";
    case mu::Sys::Recv:
    case mu::Sys::NBRecv:
    case mu::Sys::ReplyRecv: return "Eg----R";
    case mu::Sys::Reply: return "Rg";
    case mu::Sys::Signal:
    case mu::Sys::NtfnWait:
    case mu::Sys::NtfnPoll: return "N";
    case mu::Sys::PageTableMap: return "PVa";
    case mu::Sys::PageTableUnmap: return "P";
    case mu::Sys::FrameMap: return "FVaf";
    case mu::Sys::FrameUnmap:
    case mu::Sys::FrameAddress: return "F";
    case mu::Sys::FrameRemap: return "Ff";
    case mu::Sys::IrqControlGet: return "slcs";
    case mu::Sys::IrqHandlerSetNotification: return "sN";
    case mu::Sys::IoPortIssue: return "Ioocs";
    default: return "ssssss";
  }
}

// A slot that usually holds the kind of capability `hint` names (WorkerSlot), else any slot.
uint64_t hinted_slot(Rng& rng, char hint) {
  if (rng.below(3) == 0) return random_slot(rng);
  switch (hint) {
    case 'U': return kWsUntyped;
    case 'T': return kWsTcb;
    case 'C': return kWsSelf;
    case 'V': return kWsVSpace;
    case 'P': return kWsPdpt + rng.below(3);
    case 'F': return kWsFrame + rng.below(2);
    case 'E': {
      const uint64_t r = rng.below(3);
      return r == 0 ? kWsEndpoint : r == 1 ? kWsBadgedEndpoint : kWsSharedEndpoint;
    }
    case 'N': {
      const uint64_t r = rng.below(3);
      return r == 0 ? kWsNotification : r == 1 ? kWsReadOnlyNotification : kWsSharedNotification;
    }
    case 'R': return kWsReply;
    case 'I': return kWsIoPort;
    default: return random_slot(rng);
  }
}

uint64_t shaped_arg(Rng& rng, Scratch* scratch, char kind) {
  const bool odd = rng.below(16) == 0;  // now and then a value out of range
  switch (kind) {
    case 'c': {
      const uint64_t r = rng.below(10);
      return r < 6 ? mu::kSelfCNode : r < 9 ? static_cast<uint64_t>(kWsSelf) : random_slot(rng);
    }
    case 'r': return odd ? rng.next() : rng.below(16);
    case 'b': return rng.below(2) == 0 ? 0 : rng.next();
    case 't': return odd ? rng.next() : rng.below(16);
    case 'n': return odd ? rng.next() : rng.below(22);
    case 'k': return odd ? rng.below(400) : 1 + rng.below(4);
    // A small window (so tables and frames meet) or anywhere.
    case 'a': return odd ? rng.next() : 0x40'0000'0000ULL + (rng.below(64) << 12);
    case 'f': return odd ? rng.next() : rng.below(4);
    case 'p': return odd ? rng.next() : 240 + rng.below(20);  // the workers' MCP is 255
    case 'x': return random_pointer(rng, scratch);
    case 'l': return rng.below(20);
    case 'o': return odd ? rng.next() : rng.below(0x10000);
    case 'i': return odd ? rng.next() : rng.below(4);  // 3: one past the last I/O-port grant
    case 'g':
      return odd ? rng.next()
                 : mu::MessageTag::make(rng.below(8), rng.below(8), rng.below(4) == 0 ? 1 : 0).raw;
    case 's': return random_slot(rng);
    case '-': return rng.next();
    default: return hinted_slot(rng, kind);
  }
}

void make_call(Rng& rng, Scratch* scratch, uint64_t number, RawRegs* r) {
  if (rng.below(4) == 0) {
    for (uint64_t& reg : r->regs) reg = random_arg(rng, scratch);
  } else {
    const char* shape = shape_of(number);
    const size_t used = string_length(shape);
    for (size_t i = 0; i < 6; ++i) {
      r->regs[i] = i < used ? shaped_arg(rng, scratch, shape[i]) : rng.next();  // rest unused
    }
    r->r12 = used > 6 ? shaped_arg(rng, scratch, shape[6]) : random_slot(rng);
  }
  if (r->r12 == 0) r->r12 = random_slot(rng);
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
  Rng rng{0x9E37'79B9'7F4A'7C15ULL * (index + 1) * (2 * g_seed + 1)};  // never 0
  mu::IpcBuffer* ipc = w.thread.ipc_buffer();
  for (uint64_t i = 0; i < w.calls_wanted; ++i) {
    if (i != 0 && i % kRoundCalls == 0) {
      __atomic_store_n(&w.waiting, true, __ATOMIC_RELEASE);
      while (__atomic_load_n(&w.waiting, __ATOMIC_ACQUIRE)) yield();
    }
    if (i % 1024 == 0 && ipc != nullptr) {
      // What a message may transfer and where received caps go changes now and then too.
      ipc->caps[0] = random_slot(rng);
      ipc->receive_cnode = rng.below(4) == 0 ? 0 : random_slot(rng);
      ipc->receive_index = random_slot(rng);
    }
    uint64_t number = rng.below(kMaxNumber + 1);
    if (number == static_cast<uint64_t>(mu::Sys::ThreadExit) ||
        number == static_cast<uint64_t>(mu::Sys::ProcessExit)) {
      number = static_cast<uint64_t>(mu::Sys::Null);
    }
    RawRegs r{};
    make_call(rng, w.scratch, number, &r);
    const RawRegs sent = r;
    const int64_t result = syscall_raw(number, &r);
    ++w.calls;
    if (result >= 0) ++w.per_number_ok[number];
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

// Retypes `type` from the worker's pool straight into slot `index` of its CNode.
int64_t give(const Worker& w, uint64_t index, ObjectType type, uint64_t user_bits) {
  return untyped_retype(w.pool, type, user_bits, w.cnode, index, 1);
}

// Empties the worker's CNode, destroys everything made from its pool (whatever the worker did
// with it: moved into nested CNodes, retyped further, running as threads) and fills the CNode again
// (layout in WorkerSlot).
int64_t restock(const Worker& w) {
  for (uint64_t i = 0; i < kWorkerSlots; ++i) (void)cap_delete(w.cnode, i);
  int64_t r = cap_revoke(mu::kSelfCNode, w.pool);
  if (r == 0 && untyped_free(w.pool) != (int64_t{1} << kPoolBits)) {
    r = mu::status_value(mu::Status::NotEnoughMemory);  // the pool did not come back whole
  }
  const uint64_t c = w.cnode;
  if (r == 0) r = cap_copy(mu::kSelfCNode, c, c, kWsSelf, mu::kRightsAll);
  if (r == 0) r = give(w, kWsUntyped, ObjectType::Untyped, 16);
  if (r == 0) r = give(w, kWsEndpoint, ObjectType::Endpoint, 0);
  if (r == 0) r = cap_mint(c, kWsEndpoint, c, kWsBadgedEndpoint, mu::kRightsAll, 0xB0B);
  if (r == 0) r = give(w, kWsNotification, ObjectType::Notification, 0);
  if (r == 0) r = give(w, kWsReply, ObjectType::Reply, 0);
  if (r == 0) r = give(w, kWsTcb, ObjectType::Tcb, 0);
  if (r == 0) r = give(w, kWsVSpace, ObjectType::VSpace, 0);
  if (r == 0) r = give(w, kWsPdpt, ObjectType::Pdpt, 0);
  if (r == 0) r = give(w, kWsPageDirectory, ObjectType::PageDirectory, 0);
  if (r == 0) r = give(w, kWsPageTable, ObjectType::PageTable, 0);
  if (r == 0) r = give(w, kWsFrame, ObjectType::Frame4K, 0);
  if (r == 0) r = give(w, kWsFrame + 1, ObjectType::Frame4K, 0);
  if (r == 0) r = cap_copy(mu::kSelfCNode, mu::kInitSlotIoPort, c, kWsIoPort, mu::kRightsAll);
  if (r == 0) r = cap_copy(c, kWsNotification, c, kWsReadOnlyNotification, mu::kRightRead);
  if (r == 0) r = cap_copy(mu::kSelfCNode, g_shared_endpoint, c, kWsSharedEndpoint, mu::kRightsAll);
  if (r == 0) {
    r = cap_copy(mu::kSelfCNode, g_shared_notification, c, kWsSharedNotification, mu::kRightsAll);
  }
  return r;
}

// The number after `key` (e.g. "stress_calls=") on the kernel command line, or `fallback`.
uint64_t cmdline_number(const char* key, uint64_t fallback) {
  const StartInfo& info = start_info();
  const char* line = info.cmdline;
  const size_t n = line == nullptr ? 0 : info.cmdline_length;
  const size_t key_len = string_length(key);
  for (size_t i = 0; i + key_len <= n; ++i) {
    if ((i == 0 || line[i - 1] == ' ') && starts_with(line + i, n - i, key)) {
      uint64_t value = 0;
      size_t j = i + key_len;
      for (; j < n && line[j] >= '0' && line[j] <= '9'; ++j) {
        value = value * 10 + static_cast<uint64_t>(line[j] - '0');
      }
      if (j > i + key_len) return value;
    }
  }
  return fallback;
}

}  // namespace

MU_TEST(stress, random_syscalls) {
  const uint64_t total = cmdline_number("stress_calls=", kDefaultCalls);
  g_seed = cmdline_number("stress_seed=", 1);
  print("stress: seed=%lu workers=%u calls=%lu\n", g_seed, kWorkers, total);
  g_shared_endpoint = new_object(ObjectType::Endpoint);
  g_shared_notification = new_object(ObjectType::Notification);
  ASSERT_NE(g_shared_endpoint, 0);
  ASSERT_NE(g_shared_notification, 0);
  for (unsigned i = 0; i < kWorkers; ++i) {
    Worker& w = g_workers[i];
    w.scratch = &g_scratch[i];
    w.calls_wanted = total / kWorkers + (i < total % kWorkers ? 1 : 0);
    w.cnode = new_object(ObjectType::CNode, kWorkerRadix);
    ASSERT_NE(w.cnode, 0);
    w.pool = new_untyped(kPoolBits);
    ASSERT_NE(w.pool, 0);
    ASSERT_OK(restock(w));
  }
  for (unsigned i = 0; i < kWorkers; ++i) {
    ThreadOptions options;
    options.cspace = g_workers[i].cnode;
    ASSERT_OK(create_thread(&g_workers[i].thread, &worker_main, i, options));
  }
  const uint64_t deadline = clock_ns() + kWorkerDeadlineNs;
  for (;;) {
    unsigned done = 0;
    for (Worker& w : g_workers) {
      done += __atomic_load_n(&w.done, __ATOMIC_ACQUIRE) ? 1 : 0;
      if (__atomic_load_n(&w.waiting, __ATOMIC_ACQUIRE)) {
        if (restock(w) != 0) ++w.restock_failures;
        __atomic_store_n(&w.waiting, false, __ATOMIC_RELEASE);
      }
    }
    if (done == kWorkers || clock_ns() > deadline) break;
    yield();
  }
  uint64_t calls = 0, unexpected = 0, restock_failures = 0;
  for (const Worker& w : g_workers) {
    (void)tcb_suspend(w.thread.tcb);
    restock_failures += w.restock_failures;
    calls += w.calls;
    unexpected += w.unexpected;
  }
  for (uint64_t number = 0; number <= kMaxNumber; ++number) {
    uint64_t count = 0;
    for (const Worker& w : g_workers) count += w.per_number_unexpected[number];
    if (count != 0) print("stress: sys %lu: %lu unexpected results\n", number, count);
  }
  // How deep the random calls got: successful calls per syscall number (0 = never succeeded).
  char line[512];
  size_t n = 0;
  for (uint64_t number = 0; number <= kMaxNumber; ++number) {
    if (stress::expected_for(number).errors == stress::bit(mu::Status::UnknownSyscall)) continue;
    uint64_t ok = 0;
    for (const Worker& w : g_workers) ok += w.per_number_ok[number];
    n = append_count(line, sizeof(line), n, number, ok);
  }
  print("stress: succeeded per call (number:count):%s\n", line);
  print("stress: calls=%lu errors_unexpected=%lu\n", calls, unexpected);
  for (const Worker& w : g_workers) ASSERT_TRUE(w.done);
  ASSERT_EQ(calls, total);
  ASSERT_EQ(unexpected, 0);
  // Every round's revoke gave each worker's pool back whole.
  ASSERT_EQ(restock_failures, 0);
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
