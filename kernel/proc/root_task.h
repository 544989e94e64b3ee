// The root task: init built from kernel objects, holding every initial capability.
#pragma once

#include <stdint.h>

#include "lib/string.h"
#include "mu/bootinfo.h"

namespace kernel::proc {

// Builds init (the program at `path`) as the root task and makes it ready:
//  - its CNode (2^mu::kInitCNodeRadix slots), TCB and VSpace, and the frames of its image, stack,
//    IPC buffer and boot record, with capabilities at the slots of mu::InitSlot;
//  - IRQControl, the I/O-port capability for every port, Frame caps over the initrd (read only),
//    the framebuffer and the ACPI tables (read only);
//  - all remaining free RAM as Untyped caps (naturally aligned powers of two), described with
//    everything else in mu::InitBootCaps at mu::kInitBootCapsAddr.
// init's memory comes from the kernel's allocator at boot; after this the kernel allocates
// nothing (every later object is retyped from untyped memory; docs/kernel-objects.md).
// Prints `init: started pid=N path=P fpu=F timeslice_ms=T untyped_kib=U untyped_caps=C`; returns
// false (printing why) if init cannot be built.
[[nodiscard]] bool start_root_task(StringView path, const mu::BootInfo& info, const char* fpu_mode,
                                   uint64_t timeslice_ms);

}  // namespace kernel::proc
