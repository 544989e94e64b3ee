// init's loader: cpio lookup, ELF validation, segment copies, user stack.
#include "proc/loader.h"

#include "lib/print.h"
#include "mu/cpio.h"
#include "mu/elf.h"
#include "mu/paging.h"
#include "sched/scheduler.h"

namespace kernel::proc {
namespace {

constexpr uint64_t kPage = mu::kPageSize;

uint64_t page_down(uint64_t v) { return v & ~(kPage - 1); }
uint64_t page_up(uint64_t v) { return (v + kPage - 1) & ~(kPage - 1); }

void copy_bytes(uint8_t* dst, const uint8_t* src, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = src[i];
}

bool add_range(Process* process, uint64_t base, uint64_t pages, bool owned) {
  if (process->range_count >= kMaxRanges) return false;
  process->ranges[process->range_count++] = MappedRange{base, pages, owned};
  return true;
}

// Maps `pages` fresh zeroed frames at `base`, recording the range before mapping so that an
// error half-way is undone by unload(). `fill` copies file bytes into each new frame.
template <typename Fill>
mu::Status map_fresh(Process* process, uint64_t base, uint64_t pages, mu::PagePerms perms,
                     Fill fill) {
  if (!add_range(process, base, 0, true)) return mu::Status::NoMemory;
  MappedRange& range = process->ranges[process->range_count - 1];
  for (uint64_t i = 0; i < pages; ++i) {
    const uint64_t frame = mm::alloc_frame();
    if (frame == 0) return mu::Status::NoMemory;
    fill(base + i * kPage, static_cast<uint8_t*>(mm::phys_to_virt(frame)));
    if (process->space.map(base + i * kPage, frame, kPage, perms) != mu::PagingError::None) {
      mm::free_frame(frame);
      return mu::Status::NoMemory;
    }
    range.pages = i + 1;
  }
  return mu::Status::Ok;
}

}  // namespace

bool find_initrd_file(const uint8_t* archive, size_t archive_size, StringView path,
                      const uint8_t** data, size_t* size) {
  while (!path.empty() && path[0] == '/') path = path.substr(1);
  mu::CpioReader reader(archive, archive_size);
  mu::CpioEntry entry;
  while (reader.next(&entry) == mu::CpioError::None) {
    StringView name(entry.name, entry.name_length);
    while (!name.empty() && name[0] == '/') name = name.substr(1);
    if (name.starts_with("./")) name = name.substr(2);
    if (name == path && (entry.mode & mu::kCpioModeTypeMask) == mu::kCpioModeRegular) {
      *data = entry.data;
      *size = static_cast<size_t>(entry.size);
      return true;
    }
  }
  return false;
}

mu::Status load_elf(const uint8_t* image, size_t size, Process* process) {
  static mu::ElfImage elf;  // large; the big kernel lock serialises loads
  const mu::ElfError error = mu::validate_elf(image, size, mu::ElfTarget::User, &elf);
  if (error != mu::ElfError::None) {
    kprintf("loader: %s: %s\n", process->name, mu::elf_error_string(error));
    return mu::Status::BadExecutable;
  }
  if (process->space.root() == 0) return mu::Status::InvalidArgument;  // the caller makes it
  process->range_count = 0;

  for (size_t s = 0; s < elf.segment_count; ++s) {
    const mu::ElfSegment& seg = elf.segments[s];
    const uint64_t base = page_down(seg.vaddr);
    const uint64_t pages = (page_up(seg.vaddr + seg.memsz) - base) / kPage;
    mu::PagePerms perms;
    perms.user = true;
    perms.write = (seg.flags & mu::kElfSegmentWrite) != 0;
    perms.execute = (seg.flags & mu::kElfSegmentExec) != 0;
    const uint64_t file_start = seg.vaddr;
    const uint64_t file_end = seg.vaddr + seg.filesz;
    const mu::Status status =
        map_fresh(process, base, pages, perms, [&](uint64_t va, uint8_t* dst) {
          const uint64_t lo = va > file_start ? va : file_start;
          const uint64_t hi = va + kPage < file_end ? va + kPage : file_end;
          if (lo < hi) copy_bytes(dst + (lo - va), image + seg.offset + (lo - seg.vaddr), hi - lo);
        });
    if (status != mu::Status::Ok) {
      unload(process);
      return status;
    }
  }

  mu::PagePerms stack_perms;
  stack_perms.user = true;
  stack_perms.write = true;
  const uint64_t stack_base = mu::kUserStackTop - mu::kUserStackPages * kPage;
  const mu::Status status =
      map_fresh(process, stack_base, mu::kUserStackPages, stack_perms, [](uint64_t, uint8_t*) {});
  if (status != mu::Status::Ok) {
    unload(process);
    return status;
  }
  process->entry_rip = elf.entry;
  return mu::Status::Ok;
}

mu::Status map_new_pages(Process* process, uint64_t base, uint64_t pages, mu::PagePerms perms) {
  perms.user = true;
  return map_fresh(process, base, pages, perms, [](uint64_t, uint8_t*) {});
}

mu::Status map_shared(Process* process, uint64_t user_base, uint64_t phys, uint64_t size) {
  const uint64_t pages = page_up(size) / kPage;
  if (!add_range(process, user_base, pages, false)) return mu::Status::NoMemory;
  mu::PagePerms perms;
  perms.user = true;
  if (process->space.map(user_base, page_down(phys), pages * kPage, perms) !=
      mu::PagingError::None) {
    process->ranges[process->range_count - 1].pages = 0;
    return mu::Status::NoMemory;
  }
  return mu::Status::Ok;
}

void unload(Process* process) {
  if (process->space.root() == 0) return;
  for (size_t r = 0; r < process->range_count; ++r) {
    const MappedRange& range = process->ranges[r];
    if (!range.owned) continue;
    for (uint64_t i = 0; i < range.pages; ++i) {
      const auto t = process->space.translate(range.base + i * kPage);
      if (t.present) mm::free_frame(t.phys & ~(kPage - 1));
    }
  }
  process->range_count = 0;
  sched::release_address_space(process->space.root());
  process->space.destroy();
  process->space = mm::AddressSpace{};
}

}  // namespace kernel::proc
