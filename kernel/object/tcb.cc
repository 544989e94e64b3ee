// TCB objects: threads in retyped memory (object/tcb.h).
#include "object/tcb.h"

#include "object/kernel_objects.h"

namespace kernel::object {

TcbObject* tcb_from_cap(const Capability& cap) { return object_ptr<TcbObject>(cap); }

void tcb_created(uint64_t) {}
void tcb_destroyed(uint64_t) {}

}  // namespace kernel::object
