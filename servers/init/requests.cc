// Requests of proto/init.h (requests.h): name service, information and control.
#include "requests.h"

#include "event_loop.h"
#include "initrd.h"
#include "mu/proto/init.h"
#include "mu/proto/message.h"
#include "mu_user.h"
#include "name_service.h"
#include "pool.h"
#include "supervisor.h"

using namespace mu::user;
using mu::Status;
using mu::proto::Words;
using mu::proto::init::ExitHow;
using mu::proto::init::Op;
using mu::proto::init::ProcState;

namespace init {
namespace {

constexpr uint64_t kRunHeapBytes = 1024 * 1024;  // a Run program's own untyped
constexpr size_t kMaxFileChunk = 480;            // ReadFile bytes per call
constexpr uint64_t kInitPid = 1;

int64_t status(Status s) { return mu::status_value(s); }

bool same_string(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) {
    ++a;
    ++b;
  }
  return *a == *b;
}

// The reply being built: MR0 status, then results.
struct Reply {
  Message msg;
  unsigned length = 1;
  uint64_t cap = 0;  // a capability to transfer (init's slot), 0: none
  Words words() { return Words{msg.mr, init_ipc_buffer()}; }
  void set(unsigned i, uint64_t v) {
    words().set(i, v);
    if (i + 1 > length) length = i + 1;
  }
  void put_string(unsigned first, const char* s, size_t len) {
    set(first, len);
    const unsigned end = words().put_bytes(first + 1, s, len);
    if (end > length) length = end;
  }
};

void send_reply(uint64_t reply_slot, int64_t result, Reply& r) {
  r.words().set(0, static_cast<uint64_t>(result));
  uint64_t caps = 0;
  if (result == 0 && r.cap != 0) {
    init_ipc_buffer()->caps[0] = r.cap;
    caps = 1;
  }
  r.msg.tag = mu::MessageTag::make(0, r.length, caps).raw;
  (void)reply(reply_slot, r.msg);
  if (r.cap != 0) slot_free(r.cap);  // the caller has its copy (or none after an error)
}

// A string argument: length at word `first`, bytes after it. False if it does not fit.
bool get_string(const Words& in, unsigned first, char* out, size_t max, size_t* len) {
  const uint64_t n = in.get(first);
  if (n >= max || n > mu::proto::max_bytes_from(first + 1)) return false;
  in.get_bytes(first + 1, out, n);
  out[n] = '\0';
  *len = n;
  return true;
}

bool is_admin(const Proc* caller) {
  return caller != nullptr && caller->kind == ProcKind::Service && caller->spec.admin;
}

// Index 0 is init itself, then every entry of the process table in order.
const Proc* proc_for_index(uint64_t index) {
  uint64_t seen = 1;
  for (size_t i = 0; i < kMaxProcs; ++i) {
    const Proc* p = proc_at(i);
    if (!p->used) continue;
    if (seen++ == index) return p;
  }
  return nullptr;
}

ProcState live_state(const Proc& p) {
  if (p.program.pid == 0) return p.state;
  const int64_t info = tcb_get_info(p.program.tcb);
  if (info < 0) return ProcState::Running;
  const auto run = static_cast<mu::ThreadRunState>(info & 0xFF);
  if (run == mu::ThreadRunState::Running) return ProcState::Running;
  if (run == mu::ThreadRunState::Inactive) return ProcState::Stopped;
  return ProcState::Blocked;
}

int64_t op_proc_info(const Words& in, Reply& out) {
  const uint64_t index = in.get(0);
  if (index == 0) {
    out.set(1, kInitPid);
    out.set(2, mu::kInitPriority);
    out.set(3, static_cast<uint64_t>(ProcState::Running));
    out.set(4, own_bytes());
    out.set(5, 0);
    out.put_string(6, "init", 4);
    return 0;
  }
  const Proc* p = proc_for_index(index);
  if (p == nullptr) return status(Status::NotFound);
  const char* name = p->program.pid != 0 ? p->program.name : p->spec.name;
  out.set(1, p->program.pid);
  out.set(2, p->program.pid != 0 ? p->program.priority : p->spec.priority);
  out.set(3, static_cast<uint64_t>(live_state(*p)));
  out.set(4, p->program.pid != 0 ? uint64_t{1} << p->program.arena_bits : 0);
  out.set(5, p->restarts);
  out.put_string(6, name, string_length(name));
  return 0;
}

int64_t op_proc_cap(const Words& in, Reply& out) {
  const uint64_t pid = in.get(0);
  const uint64_t first = in.get(1);
  uint64_t cnode = 0, slots = 0;
  if (pid == kInitPid) {
    cnode = mu::kSelfCNode;
    slots = uint64_t{1} << mu::kInitCNodeRadix;
  } else {
    const Proc* p = proc_by_pid(pid);
    if (p == nullptr) return status(Status::NotFound);
    cnode = p->program.cnode;
    slots = uint64_t{1} << p->program.cnode_radix;
  }
  for (uint64_t slot = first; slot < slots; ++slot) {
    CapInfo info{};
    if (cap_identify_in(cnode, slot, &info) < 0) continue;
    out.set(1, slot);
    out.set(2, static_cast<uint64_t>(info.type));
    out.set(3, info.rights);
    out.set(4, info.word0);
    out.set(5, info.word1);
    return 0;
  }
  return status(Status::NotFound);
}

int64_t op_mem_info(Reply& out) {
  const mu::InitBootCaps& caps = *init_boot_caps();
  uint64_t services = 0;
  for (size_t i = 0; i < kMaxProcs; ++i) {
    const Proc* p = proc_at(i);
    if (p->used && p->program.pid != 0) services += uint64_t{1} << p->program.arena_bits;
  }
  const uint64_t image = caps.image_frames.count * 4096;
  const uint64_t total =
      caps.usable_bytes != 0 ? caps.usable_bytes : pool_total_bytes() + caps.kernel_bytes + image;
  out.set(1, total >> 10);
  // The kernel made init's image frames at boot out of memory that is not untyped, so
  // kernel_bytes includes them; they are reported as init's.
  const uint64_t kernel = caps.kernel_bytes > image ? caps.kernel_bytes - image : 0;
  out.set(2, kernel >> 10);
  out.set(3, services >> 10);
  out.set(4, pool_free_bytes() >> 10);
  out.set(5, (own_bytes() + image) >> 10);
  return 0;
}

int64_t op_list_file(const Words& in, Reply& out) {
  InitrdFile f{};
  if (!initrd_entry(in.get(0), &f)) return status(Status::NotFound);
  char path[kMaxFileChunk];
  path[0] = '/';
  size_t len = 1;
  for (size_t i = 0; i < f.path_length && len < sizeof(path); ++i) path[len++] = f.path[i];
  out.set(1, f.size);
  out.set(2, f.mode);
  out.put_string(3, path, len);
  return 0;
}

int64_t op_read_file(const Words& in, Reply& out) {
  const uint64_t offset = in.get(0);
  uint64_t max = in.get(1);
  char path[256];
  size_t len = 0;
  if (!get_string(in, 2, path, sizeof(path), &len)) return status(Status::InvalidArgument);
  InitrdFile f{};
  if (!initrd_find(path, len, &f)) return status(Status::NotFound);
  if ((f.mode & 0170000) == 0040000) return status(Status::InvalidArgument);  // a directory
  if (max > kMaxFileChunk) max = kMaxFileChunk;
  const uint64_t n = offset >= f.size ? 0 : (f.size - offset < max ? f.size - offset : max);
  out.set(1, n);
  const unsigned end = out.words().put_bytes(2, reinterpret_cast<const char*>(f.data) + offset, n);
  if (end > out.length) out.length = end;
  return 0;
}

// "program arg arg...": a bare name is looked for in /bin, /sbin and /tests.
bool resolve_program(const char* word, size_t len, char* path, size_t size) {
  bool has_slash = false;
  for (size_t i = 0; i < len; ++i) has_slash = has_slash || word[i] == '/';
  const char* dirs[] = {"", "/bin/", "/sbin/", "/tests/"};
  for (const char* dir : dirs) {
    if (has_slash != (dir[0] == '\0')) continue;
    const size_t dl = string_length(dir);
    if (dl + len + 1 > size) return false;
    for (size_t i = 0; i < dl; ++i) path[i] = dir[i];
    for (size_t i = 0; i < len; ++i) path[dl + i] = word[i];
    path[dl + len] = '\0';
    InitrdFile f{};
    if (initrd_find(path, dl + len, &f)) return true;
  }
  return false;
}

void copy_to(char* dst, size_t size, const char* src, size_t len) {
  size_t i = 0;
  for (; i < len && i + 1 < size; ++i) dst[i] = src[i];
  dst[i] = '\0';
}

// Starts the program; the reply waits for its end (on_run_end), unless it cannot start.
int64_t op_run(Proc* caller, const Words& in, uint64_t reply_slot, bool* deferred) {
  char line[kArgsMax];
  size_t len = 0;
  if (!get_string(in, 0, line, sizeof(line), &len)) return status(Status::InvalidArgument);
  size_t start = 0;
  while (start < len && line[start] == ' ') ++start;
  size_t end = start;
  while (end < len && line[end] != ' ') ++end;
  if (end == start) return status(Status::InvalidArgument);
  Proc* proc = proc_new(ProcKind::Run);
  if (proc == nullptr) return status(Status::NoMemory);
  ServiceSpec& spec = proc->spec;
  if (!resolve_program(line + start, end - start, spec.program, sizeof(spec.program))) {
    *proc = Proc{};
    return status(Status::NotFound);
  }
  const char* base = spec.program;
  for (const char* p = spec.program; *p != '\0'; ++p) {
    if (*p == '/') base = p + 1;
  }
  copy_to(spec.name, sizeof(spec.name), base, string_length(base));
  copy_to(spec.args, sizeof(spec.args), line + end, len - end);
  spec.priority = static_cast<uint8_t>(caller->program.priority);
  spec.restart = RestartPolicy::Never;
  spec.heap_kib = kRunHeapBytes >> 10;
  // Console access as the caller has it.
  copy_to(spec.uses[0].name, kNameMax, "console", 7);
  spec.uses[0].rights = mu::kRightWrite | mu::kRightGrantReply;
  for (size_t i = 0; i < caller->spec.use_count; ++i) {
    if (same_string(caller->spec.uses[i].name, "console"))
      spec.uses[0].rights = caller->spec.uses[i].rights;
  }
  spec.use_count = 1;
  const int64_t r = proc_start(proc);
  if (r != 0) {
    *proc = Proc{};
    return r;
  }
  proc->run_reply = keep_current_reply();
  if (proc->run_reply == 0) {
    print("init: no Reply object left for run; %s runs without its caller waiting\n", spec.name);
    return status(Status::NoMemory);
  }
  (void)reply_slot;
  *deferred = true;
  return 0;
}

void on_run_end(Proc* proc, ExitHow how, int64_t code) {
  if (proc->run_reply == 0) return;
  Reply out;
  out.set(1, static_cast<uint64_t>(how));
  out.set(2, static_cast<uint64_t>(code));
  out.set(3, proc->last_pid);
  send_reply(proc->run_reply, 0, out);
  release_reply(proc->run_reply);
  proc->run_reply = 0;
}

inline void outb(uint16_t port, uint8_t value) {
  asm volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

// Resets through the chipset's reset control register, then the keyboard controller. Each port
// gets a capability of its own for init's thread, only for the write.
void reboot() {
  const struct {
    uint16_t port;
    uint8_t value;
  } ways[] = {{0xCF9, 0x06}, {0x64, 0xFE}};
  for (const auto& way : ways) {
    const uint64_t slot = slot_alloc();
    if (slot == 0) break;
    if (io_port_issue(mu::kInitSlotIoPort, way.port, way.port, mu::kSelfCNode, slot) == 0 &&
        tcb_set_io_ports(mu::kInitSlotTcb, slot) == 0) {
      outb(way.port, way.value);
      (void)sleep_ns(100 * 1000 * 1000);  // give the reset time to happen
    }
    (void)tcb_set_io_ports(mu::kInitSlotTcb, 0);
    slot_free(slot);
  }
  print("init: reboot failed: the machine did not reset\n");
}

}  // namespace

void requests_init() {
  supervisor_set_run_end(on_run_end);
  supervisor_set_teardown(name_forget);
}

bool handle_request(uint64_t pid, const Message& msg, uint64_t reply_slot, uint64_t received_slot) {
  Message in_regs = msg;
  const Words in{in_regs.mr, init_ipc_buffer()};
  Proc* caller = proc_by_pid(pid);
  Reply out;
  int64_t result = 0;
  bool kept_cap = false;
  bool deferred = false;
  const auto op = static_cast<Op>(mu::MessageTag{msg.tag}.label());
  char name[kNameMax];
  size_t len = 0;
  const bool admin_op = op == Op::Kill || op == Op::Restart || op == Op::Run ||
                        op == Op::PowerOff || op == Op::Reboot;
  if (caller == nullptr) {
    result = status(Status::NotFound);  // a pid that is gone (or a badge init never gave out)
  } else if (admin_op && !is_admin(caller)) {
    result = status(Status::InsufficientRights);
  } else {
    switch (op) {
      case Op::Register:
        result = get_string(in, 0, name, sizeof(name), &len)
                     ? name_register(caller, name, len, received_slot)
                     : status(Status::InvalidArgument);
        kept_cap = result == 0;
        break;
      case Op::Lookup:
        result = get_string(in, 0, name, sizeof(name), &len)
                     ? name_lookup(caller, name, len, &out.cap)
                     : status(Status::InvalidArgument);
        break;
      case Op::ProcInfo: result = op_proc_info(in, out); break;
      case Op::ProcCap: result = op_proc_cap(in, out); break;
      case Op::MemInfo: result = op_mem_info(out); break;
      case Op::ListFile: result = op_list_file(in, out); break;
      case Op::ReadFile: result = op_read_file(in, out); break;
      case Op::Kill: {
        Proc* target = proc_by_pid(in.get(0));
        if (target == nullptr || target->kind == ProcKind::Test) {
          result = status(Status::NotFound);
        } else {
          // Reply first: the caller may be the one killed.
          send_reply(reply_slot, 0, out);
          supervisor_kill(target);
          return false;
        }
        break;
      }
      case Op::Restart: {
        Proc* target =
            get_string(in, 0, name, sizeof(name), &len) ? proc_by_name(name, len) : nullptr;
        if (target == nullptr) {
          result = status(Status::NotFound);
        } else if (target == caller) {
          send_reply(reply_slot, 0, out);  // it is about to go: answer before
          (void)supervisor_restart(target);
          return false;
        } else {
          result = supervisor_restart(target);
          out.set(1, target->program.pid);
        }
        break;
      }
      case Op::Run: result = op_run(caller, in, reply_slot, &deferred); break;
      case Op::PowerOff:
        print("init: powering off\n");
        own_release();
        exit(0);
      case Op::Reboot:
        print("init: rebooting\n");
        reboot();
        result = status(Status::IllegalOperation);
        break;
      default: result = status(Status::InvalidArgument); break;
    }
  }
  if (!deferred) send_reply(reply_slot, result, out);
  return kept_cap;
}

}  // namespace init
