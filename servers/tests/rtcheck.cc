// rtcheck: exercises the runtime against the real init (tests/system/test_runtime.py): slots,
// the heap and operator new, and the init client's name-service and information calls. Prints
// `rtcheck: <check>: ok|FAIL (...)` per check and `rtcheck: N failed`; exits with N.
// Its manifest line needs `provides=rtcheck uses=rtcheck` and no `admin`.
#include <new>

#include "mu_caps.h"
#include "mu_client.h"
#include "mu_runtime.h"
#include "mu_user.h"

using namespace mu::user;
using mu::ObjectType;
using mu::Status;

namespace {

int64_t g_failed = 0;

void check(const char* name, bool ok, int64_t detail = 0) {
  if (!ok) ++g_failed;
  console_print("rtcheck: %s: %s", name, ok ? "ok\n" : "FAIL");
  if (!ok) console_print(" (%ld)\n", detail);
}

bool is(int64_t r, Status s) { return r == mu::status_value(s); }

void check_slots() {
  const mu::ProgramStart* start = program_start();
  const uint64_t a = slot_alloc();
  check("slot_alloc from first_free_slot", start != nullptr && a >= start->first_free_slot &&
                                               a < (uint64_t{1} << mu::kProgramCNodeRadix),
        static_cast<int64_t>(a));
  slot_free(a);
  check("slot_free makes the slot free again", slot_alloc() == a);
  slot_free(a);
}

struct alignas(64) Wide {
  uint8_t bytes[100];
};

void check_heap() {
  const HeapStats before = heap_stats();
  auto* numbers = new int[1000];
  for (int i = 0; i < 1000; ++i) numbers[i] = i;
  int64_t sum = 0;
  for (int i = 0; i < 1000; ++i) sum += numbers[i];
  check("new[] memory holds data", sum == 499500, sum);
  auto* wide = new Wide;
  check("aligned new", reinterpret_cast<uint64_t>(wide) % 64 == 0,
        static_cast<int64_t>(reinterpret_cast<uint64_t>(wide)));
  delete wide;
  delete[] numbers;
  check("everything freed", heap_stats().used_bytes == before.used_bytes,
        static_cast<int64_t>(heap_stats().used_bytes));
  void* huge = heap_alloc(64 * 1024 * 1024);
  check("too large an allocation is nullptr", huge == nullptr);
  check("failure counted", heap_stats().failed_allocations == before.failed_allocations + 1);
  void* again = heap_alloc(1000);
  check("allocation works after a failure", again != nullptr);
  heap_free(again);
  heap_free(nullptr);
  void* nothrow = new (std::nothrow) uint8_t[64 * 1024 * 1024];
  check("nothrow new returns nullptr", nothrow == nullptr);
}

void check_name_service() {
  const uint64_t ep = slot_alloc();
  int64_t r = untyped_retype(mu::kProgSlotUntyped, ObjectType::Endpoint, 0, mu::kSelfCNode, ep);
  check("endpoint from the program's untyped", r == 0, r);
  r = ns_register("rtcheck", ep);
  check("ns_register of a provided name", r == 0, r);
  r = ns_register("other", ep);
  check("ns_register of a name not provided refused", is(r, Status::InsufficientRights), r);
  const uint64_t got = slot_alloc();
  r = ns_lookup("rtcheck", got);
  CapInfo info{};
  const bool is_endpoint = cap_identify(got, &info) >= 0 && info.type == ObjectType::Endpoint;
  check("ns_lookup of a used name gives an endpoint", r == 0 && is_endpoint, r);
  r = ns_lookup("rtcheck", got);
  check("ns_lookup into a full slot is SlotEmpty", is(r, Status::SlotEmpty), r);
  const uint64_t other = slot_alloc();
  r = ns_lookup("console", other);
  check("ns_lookup of a name not used refused", is(r, Status::InsufficientRights), r);
  check("refused lookup leaves the slot empty", cap_identify(other) < 0);
  char long_name[600];
  for (char& c : long_name) c = 'x';
  long_name[sizeof(long_name) - 1] = '\0';
  r = ns_lookup(long_name, other);
  check("too long a name is InvalidArgument", is(r, Status::InvalidArgument), r);
  slot_free(got);
  slot_free(other);
}

void check_information() {
  const mu::ProgramStart* start = program_start();
  bool found_self = false, found_init = false;
  ProcInfo p{};
  uint64_t i = 0;
  for (; i < 64 && init_proc_info(i, &p) == 0; ++i) {
    if (string_equal(p.name, "rtcheck") && start != nullptr && p.pid == start->pid) {
      found_self = true;
    }
    if (p.pid == 1) found_init = true;
  }
  check("proc_info lists this program and init", found_self && found_init,
        static_cast<int64_t>(i));
  MemInfo m{};
  int64_t r = init_mem_info(&m);
  check("mem_info", r == 0 && m.total_kib > 0 && m.free_kib < m.total_kib, r);
  FileInfo f{};
  bool found_file = false;
  for (i = 0; i < 256 && init_list_file(i, &f) == 0; ++i) {
    if (string_equal(f.path, "/bin/rtcheck")) found_file = f.size > 0;
  }
  check("list_file finds /bin/rtcheck", found_file);
  char data[16];
  r = init_read_file("/bin/rtcheck", 1, data, 3);
  check("read_file of an ELF at offset 1", r == 3 && data[0] == 'E' && data[1] == 'L' &&
                                               data[2] == 'F', r);
  r = init_read_file("/no/such/file", 0, data, sizeof(data));
  check("read_file of a missing file fails", r < 0, r);
  r = init_kill(1);
  check("kill without admin refused", is(r, Status::InsufficientRights), r);
}

}  // namespace

extern "C" int64_t mu_main(const StartInfo*) {
  check("program_arg(0) is the path", program_arg(0) != nullptr &&
                                          string_equal(program_arg(0), "/bin/rtcheck"));
  check("program_arg past argc is nullptr", program_arg(1) == nullptr);
  check_slots();
  check_heap();
  check_name_service();
  check_information();
  const char text[] = "rtcheck: console_write without a console goes to the debug log\n";
  const int64_t r = console_write(text, sizeof(text) - 1);
  check("console_write fallback", r == static_cast<int64_t>(sizeof(text) - 1), r);
  console_print("rtcheck: %ld failed\n", g_failed);
  return g_failed;
}
