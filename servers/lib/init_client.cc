// Client side of init's protocol (mu_client.h, mu/proto/init.h): one request per call on the
// endpoint every program holds at kProgSlotInit.
#include "message_util.h"
#include "mu_runtime.h"
#include "mu_user.h"

namespace mu::user {
namespace {

using proto::init::Op;
using detail::call_op;
using detail::get_string;
using detail::put_string;
using detail::words_of;

int64_t init_call(Op op, Message& m, unsigned length, unsigned extra_caps = 0) {
  return call_op(kProgSlotInit, static_cast<uint64_t>(op), m, length, extra_caps);
}

int64_t too_long() { return status_value(Status::InvalidArgument); }

// Requests whose only argument is a string at MR0: Register, Lookup, Restart, Run.
int64_t string_request(Op op, const char* s, Message& m, unsigned extra_caps = 0) {
  const unsigned length = put_string(words_of(m), 0, s, string_length(s));
  if (length == 0) return too_long();
  return init_call(op, m, length, extra_caps);
}

}  // namespace

IpcBuffer* my_ipc_buffer() { return ipc_buffer_at(kProgramIpcBufferAddr); }

int64_t ns_register(const char* name, uint64_t ep_slot) {
  Message m;
  my_ipc_buffer()->caps[0] = ep_slot;
  return string_request(Op::Register, name, m, 1);
}

int64_t ns_lookup(const char* name, uint64_t dst_slot) {
  IpcBuffer* buffer = my_ipc_buffer();
  buffer->receive_cnode = kSelfCNode;
  buffer->receive_index = dst_slot;
  buffer->received_caps = 0;
  Message m;
  int64_t status = string_request(Op::Lookup, name, m);
  // Accept no capability in later replies: only this call asked for one, into this slot.
  buffer->receive_cnode = 0;
  // init said yes but nothing arrived: dst_slot was not empty (or not a slot).
  if (status == 0 && MessageTag{m.tag}.extra_caps() == 0) status = status_value(Status::SlotEmpty);
  return status;
}

int64_t init_proc_info(uint64_t index, ProcInfo* out) {
  Message m;
  m.mr[0] = index;
  const int64_t status = init_call(Op::ProcInfo, m, 1);
  if (status != 0) return status;
  const proto::Words w = words_of(m);
  out->pid = w.get(1);
  out->priority = w.get(2);
  out->state = static_cast<proto::init::ProcState>(w.get(3));
  out->memory_bytes = w.get(4);
  out->restarts = w.get(5);
  get_string(w, 6, out->name, sizeof(out->name));
  return 0;
}

int64_t init_proc_cap(uint64_t pid, uint64_t first_slot, CapSlotInfo* out) {
  Message m;
  m.mr[0] = pid;
  m.mr[1] = first_slot;
  const int64_t status = init_call(Op::ProcCap, m, 2);
  if (status != 0) return status;
  const proto::Words w = words_of(m);
  out->slot = w.get(1);
  out->type = w.get(2);
  out->rights = w.get(3);
  out->word0 = w.get(4);
  out->word1 = w.get(5);
  return 0;
}

int64_t init_mem_info(MemInfo* out) {
  Message m;
  const int64_t status = init_call(Op::MemInfo, m, 0);
  if (status != 0) return status;
  const proto::Words w = words_of(m);
  out->total_kib = w.get(1);
  out->kernel_kib = w.get(2);
  out->services_kib = w.get(3);
  out->free_kib = w.get(4);
  out->init_kib = w.get(5);
  return 0;
}

int64_t init_list_file(uint64_t index, FileInfo* out) {
  Message m;
  m.mr[0] = index;
  const int64_t status = init_call(Op::ListFile, m, 1);
  if (status != 0) return status;
  const proto::Words w = words_of(m);
  out->size = w.get(1);
  out->mode = w.get(2);
  get_string(w, 3, out->path, sizeof(out->path));
  return 0;
}

int64_t init_read_file(const char* path, uint64_t offset, char* out, size_t max) {
  Message m;
  const proto::Words w = words_of(m);
  w.set(0, offset);
  w.set(1, max);
  const unsigned length = put_string(w, 2, path, string_length(path));
  if (length == 0) return too_long();
  const int64_t status = init_call(Op::ReadFile, m, length);
  if (status != 0) return status;
  uint64_t count = w.get(1);
  if (count > max) count = max;  // never more than the caller's buffer, whatever init says
  if (count > proto::max_bytes_from(2)) count = proto::max_bytes_from(2);
  w.get_bytes(2, out, count);
  return static_cast<int64_t>(count);
}

int64_t init_kill(uint64_t pid) {
  Message m;
  m.mr[0] = pid;
  return init_call(Op::Kill, m, 1);
}

int64_t init_restart(const char* name, uint64_t* new_pid) {
  Message m;
  const int64_t status = string_request(Op::Restart, name, m);
  if (status == 0 && new_pid != nullptr) *new_pid = m.mr[1];
  return status;
}

int64_t init_run(const char* command_line, RunResult* out) {
  Message m;
  const int64_t status = string_request(Op::Run, command_line, m);
  if (status == 0 && out != nullptr) {
    out->how = static_cast<proto::init::ExitHow>(m.mr[1]);
    out->code = static_cast<int64_t>(m.mr[2]);
    out->pid = m.mr[3];
  }
  return status;
}

int64_t init_power_off() {
  Message m;
  return init_call(Op::PowerOff, m, 0);
}

int64_t init_reboot() {
  Message m;
  return init_call(Op::Reboot, m, 0);
}

}  // namespace mu::user
