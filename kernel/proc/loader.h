// init's loader: its ELF from the initrd into the VSpace the root task made for it. (The only
// program the kernel loads; init loads every other one itself.)
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/string.h"
#include "mu/syscall.h"
#include "proc/process.h"

namespace kernel::proc {

// Finds `path` (leading '/' optional) in the cpio archive; false if absent or not a file.
[[nodiscard]] bool find_initrd_file(const uint8_t* archive, size_t archive_size, StringView path,
                                    const uint8_t** data, size_t* size);

// Validates `image` with mu::validate_elf(ElfTarget::User), copies every segment into fresh
// zeroed frames (bss stays zero) mapped in process->space, which the caller created (an empty
// space is InvalidArgument), maps a user stack of mu::kUserStackPages below mu::kUserStackTop with the page under it left unmapped as a guard, and fills
// process->ranges and process->entry_rip. On failure everything allocated is released and a
// negative mu::Status is returned.
[[nodiscard]] mu::Status load_elf(const uint8_t* image, size_t size, Process* process);

// Maps `pages` fresh zeroed frames at `base` with `perms`, owned by the process (freed by unload).
[[nodiscard]] mu::Status map_new_pages(Process* process, uint64_t base, uint64_t pages,
                                       mu::PagePerms perms);

// Unmaps and frees everything load_elf, map_new_pages and map_shared set up, and the address
// space (when building init fails half-way).
void unload(Process* process);

// Maps physical [phys, phys + size) read-only at `user_base` without owning the frames.
[[nodiscard]] mu::Status map_shared(Process* process, uint64_t user_base, uint64_t phys,
                                    uint64_t size);

}  // namespace kernel::proc
