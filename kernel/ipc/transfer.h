// Message transfer between two threads: registers, IPC-buffer words and one capability.
#pragma once

#include <stdint.h>

#include "mu/ipc.h"
#include "mu/syscall.h"
#include "sched/thread.h"

namespace kernel::ipc {

// The kernel view of a thread's IPC buffer, or nullptr (none configured, or a kernel thread).
[[nodiscard]] mu::IpcBuffer* ipc_buffer_of(sched::Thread* thread);

// Delivers `from`'s pending message into `to`'s user frame: rax = 0, rdi = badge, rsi = tag (the
// length reduced to 4 when either side has no IPC buffer; extra_caps = capabilities actually
// transferred), rdx r10 r8 r9 = MR0..3, MR4.. copied between the IPC buffers. The message of a
// fault sender (kIpcFault) is its fault label and words. With `grant` and a tag asking for one,
// the capability named by from's caps[0] is copied (cap_copy) into the slot to's IPC buffer
// names; any problem drops the capability (received_caps = 0), never the message.
void deliver_message(sched::Thread* from, sched::Thread* to, uint64_t badge, bool grant);

// Results of a thread woken without a message.
inline void set_status(sched::Thread* t, mu::Status s) {
  t->user_frame()->rax = static_cast<uint64_t>(mu::status_value(s));
}

}  // namespace kernel::ipc
