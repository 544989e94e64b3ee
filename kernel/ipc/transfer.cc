// Message transfer: registers, IPC-buffer words and capability grant (transfer.h).
#include "ipc/transfer.h"

#include "ipc/ipc_state.h"
#include "object/cap_ops.h"
#include "object/kernel_objects.h"
#include "object/tcb.h"

namespace kernel::ipc {
namespace {

using object::CNode;
using object::ObjectType;
using object::Slot;
using object::SlotRef;

// The CNode a receiver named for an incoming capability: its root (kSelfCNode) or a CNode cap
// in its root. Invalid CNode when the name is unusable.
CNode receive_cnode(sched::Thread* to, uint64_t cptr) {
  const CNode root = object::cspace_root(to);
  if (cptr == mu::kSelfCNode) return root;
  const Slot* slot = root.slot(cptr);
  if (slot == nullptr || slot->cap.type != ObjectType::CNode) return CNode();
  return CNode::from_cap(slot->cap, object::kernel_memory());
}

// Copies from's caps[0] into the slot to's buffer names. Returns the number transferred (0/1).
uint64_t transfer_cap(sched::Thread* from, const mu::IpcBuffer* from_buf, sched::Thread* to,
                      const mu::IpcBuffer* to_buf) {
  if (from_buf == nullptr || to_buf == nullptr || to_buf->receive_cnode == 0) return 0;
  const SlotRef src{object::cspace_root(from), from_buf->caps[0]};
  const SlotRef dst{receive_cnode(to, to_buf->receive_cnode), to_buf->receive_index};
  if (!src.cnode.valid() || !dst.cnode.valid()) return 0;
  return object::cap_copy(src, dst, mu::kRightsAll) == mu::CapStatus::Ok ? 1 : 0;
}

}  // namespace

mu::IpcBuffer* ipc_buffer_of(sched::Thread* thread) {
  object::TcbObject* tcb = object::tcb_of(thread);
  return tcb != nullptr ? tcb->ipc_buffer : nullptr;
}

void deliver_message(sched::Thread* from, sched::Thread* to, uint64_t badge, bool grant) {
  x86::InterruptFrame* dst = to->user_frame();
  dst->rax = 0;
  dst->rdi = badge;
  if ((from->ipc.flags & kIpcFault) != 0) {
    dst->rsi = mu::MessageTag::make(from->ipc.fault_label, mu::kFaultMessageWords).raw;
    dst->rdx = from->ipc.fault_words[0];
    dst->r10 = from->ipc.fault_words[1];
    dst->r8 = from->ipc.fault_words[2];
    dst->r9 = 0;
    return;
  }
  const x86::InterruptFrame* src = from->user_frame();
  const mu::MessageTag tag{src->rsi};
  uint64_t length = tag.length();
  dst->rdx = src->rdx;
  dst->r10 = src->r10;
  dst->r8 = src->r8;
  dst->r9 = src->r9;
  uint64_t caps = 0;
  if (length > mu::kRegisterMessageWords || tag.extra_caps() != 0) {
    const mu::IpcBuffer* from_buf = ipc_buffer_of(from);
    mu::IpcBuffer* to_buf = ipc_buffer_of(to);
    if (length > mu::kRegisterMessageWords) {
      if (from_buf == nullptr || to_buf == nullptr) {
        length = mu::kRegisterMessageWords;  // nowhere to read or write the rest: truncated
      } else {
        for (uint64_t i = mu::kRegisterMessageWords; i < length; ++i)
          to_buf->mr[i] = from_buf->mr[i];
      }
    }
    if (tag.extra_caps() != 0) {
      if (grant) caps = transfer_cap(from, from_buf, to, to_buf);
      if (to_buf != nullptr) to_buf->received_caps = caps;
    }
  }
  dst->rsi = mu::MessageTag::make(tag.label(), length, caps).raw;
}

}  // namespace kernel::ipc
