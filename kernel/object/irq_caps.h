// IRQHandler and I/O-port capabilities. Syscalls in syscall/sys_irq.cc.
#pragma once

#include "object/capability.h"

namespace kernel::object {

// DestroyHook: the line is masked and its notification binding dropped; it can be issued again.
void irq_handler_destroyed(const Capability& cap);

}  // namespace kernel::object
