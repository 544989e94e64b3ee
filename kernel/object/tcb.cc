// TCB objects: threads in retyped memory (object/tcb.h).
#include "object/tcb.h"

#include "object/kernel_objects.h"

namespace kernel::object {

TcbObject* tcb_from_cap(const Capability& cap) { return object_ptr<TcbObject>(cap); }

mu::Status tcb_configure(TcbObject*, Slot*, Slot*, Slot*, uint64_t, Slot*) {
  return mu::Status::IllegalOperation;
}
void tcb_read_registers(TcbObject*, mu::UserRegisters*) {}
mu::Status tcb_write_registers(TcbObject*, const mu::UserRegisters&) {
  return mu::Status::IllegalOperation;
}
mu::Status tcb_set_priority(TcbObject*, uint64_t, uint64_t) { return mu::Status::IllegalOperation; }
mu::Status tcb_set_mcp(TcbObject*, uint64_t, uint64_t) { return mu::Status::IllegalOperation; }
mu::Status tcb_resume(TcbObject*) { return mu::Status::IllegalOperation; }
void tcb_suspend(TcbObject*) {}
void tcb_created(uint64_t) {}
void tcb_destroyed(uint64_t) {}

}  // namespace kernel::object
