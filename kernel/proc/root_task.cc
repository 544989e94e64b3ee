// Building the root task: init's objects, its initial capabilities and the untyped memory.
#include "proc/root_task.h"

#include "lib/print.h"
#include "mm/memory.h"
#include "mu/ipc.h"
#include "object/cap_ops.h"
#include "object/kernel_objects.h"
#include "object/tcb.h"
#include "object/vspace.h"
#include "proc/loader.h"
#include "proc/process.h"
#include "sched/scheduler.h"

namespace kernel::proc {
namespace {

using object::Capability;
using object::ObjectType;
using object::Rights;

constexpr uint64_t kPage = 4096;
// Free frames the kernel keeps after init is built: none. Everything the kernel needs after boot
// exists by now: its image, page tables and direct map, the idle thread and its stack, the IST
// stacks, init's objects. From here on every object (TCBs with their kernel stacks,
// CNodes, VSpaces, page tables, frames) is retyped by user space from untyped memory, and no
// syscall or interrupt path calls mm::alloc_* (main.cc prints `allocated_after_boot=` when init
// exits, and test_kernel_core checks it is 0). It was 16 MiB while Spawn (retired) built
// programs from it. (Free memory beyond mu::kMaxBootUntyped blocks or init's CNode stays with
// the kernel, unused.)
constexpr uint64_t kKernelReserveFrames = 0;
// Device ranges larger than this get no Frame caps (they would crowd out the CNode).
constexpr uint64_t kMaxDeviceFrames = 2048;
constexpr uint64_t kInitBootCapsPages = (sizeof(mu::InitBootCaps) + kPage - 1) / kPage;

struct Builder {
  object::CNode cnode;
  uint64_t next = mu::kInitSlotFirstFree;
  uint64_t asid = 0;
  mu::InitBootCaps* record = nullptr;
  uint64_t untyped_bytes = 0;
  bool full = false;  // a slot could not be filled
};

object::Slot* slot(Builder& b, uint64_t index) { return b.cnode.slot(index); }

bool install(Builder& b, uint64_t index, const Capability& cap) {
  const object::CapStatus s = object::cap_install_root(object::SlotRef{b.cnode, index}, cap);
  if (s != object::CapStatus::Ok) b.full = true;
  return s == object::CapStatus::Ok;
}

Capability make_cap(ObjectType type, uint64_t phys, uint8_t rights) {
  Capability cap;
  cap.type = type;
  cap.rights = Rights::from_bits(rights);
  cap.object = phys;
  return cap;
}

// A Frame4K cap; `mapped_at` != 0 records it as init's mapping there (object/vspace.h).
Capability frame_cap(uint64_t phys, uint8_t rights, uint64_t mapped_at, uint64_t asid) {
  Capability cap = make_cap(ObjectType::Frame4K, phys, rights);
  if (mapped_at != 0) {
    cap.word0 = mapped_at;
    cap.word1 = asid;
  }
  return cap;
}

// Frame caps over physical [base, base + size) into consecutive free slots.
mu::InitCapRange device_frames(Builder& b, uint64_t base, uint64_t size, uint8_t rights) {
  mu::InitCapRange range{b.next, 0};
  if (base == 0 || size == 0) return range;
  const uint64_t first = base & ~(kPage - 1);
  const uint64_t pages = (base + size - first + kPage - 1) / kPage;
  if (pages > kMaxDeviceFrames) {
    kprintf("init: %lu frames at 0x%lx are too many for init's CNode; no caps given\n", pages,
            base);
    return range;
  }
  for (uint64_t i = 0; i < pages && !b.full; ++i) {
    if (install(b, b.next, frame_cap(first + i * kPage, rights, 0, 0))) ++b.next;
  }
  range.count = b.next - range.first;
  return range;
}

// Every frame init's process owns (segments, stack, IPC buffer, this record), mapped.
mu::InitCapRange image_frames(Builder& b, Process* process) {
  mu::InitCapRange range{b.next, 0};
  for (size_t r = 0; r < process->range_count; ++r) {
    const MappedRange& mapped = process->ranges[r];
    if (!mapped.owned) continue;
    for (uint64_t i = 0; i < mapped.pages && !b.full; ++i) {
      const uint64_t addr = mapped.base + i * kPage;
      if (addr == mu::kInitIpcBufferAddr) continue;  // has its own slot
      const auto t = process->space.translate(addr);
      if (!t.present) continue;
      const uint8_t rights = t.write ? mu::kRightsAll : (mu::kRightRead | mu::kRightGrant);
      if (install(b, b.next, frame_cap(t.phys, rights, addr, b.asid))) ++b.next;
    }
  }
  range.count = b.next - range.first;
  return range;
}

mu::InitCapRange acpi_frames(Builder& b, const mu::BootInfo& info) {
  mu::InitCapRange range{b.next, 0};
  const uint8_t ro = mu::kRightRead;
  if (info.rsdp != 0 && install(b, b.next, frame_cap(info.rsdp & ~(kPage - 1), ro, 0, 0))) ++b.next;
  for (uint32_t i = 0; i < info.region_count; ++i) {
    const mu::MemoryRegion& region = info.regions[i];
    if (region.type != mu::MemoryType::AcpiReclaimable && region.type != mu::MemoryType::AcpiNvs)
      continue;
    (void)device_frames(b, region.base, region.length, ro);  // appended to this range
  }
  range.count = b.next - range.first;
  return range;
}

void add_untyped(void* context, uint64_t base, unsigned size_bits) {
  Builder& b = *static_cast<Builder*>(context);
  const uint64_t index = b.next - b.record->untyped.first;
  if (index >= mu::kMaxBootUntyped ||
      !install(b, b.next, object::make_untyped_cap(base, size_bits)))
    return;
  b.record->untyped_paddr[index] = base;
  b.record->untyped_size_bits[index] = static_cast<uint8_t>(size_bits);
  b.untyped_bytes += uint64_t{1} << size_bits;
  ++b.next;
}

// The GOP framebuffer as init sees it: geometry and channel positions of 8-bit channels. bytes
// stays 0 (no framebuffer) when there is none or init got no frame caps for it.
mu::FramebufferGeometry framebuffer_geometry(const mu::Framebuffer& fb, uint64_t frame_count) {
  mu::FramebufferGeometry g{};
  if (fb.base == 0 || fb.format == mu::PixelFormat::None || frame_count == 0) return g;
  g.bytes = fb.size;
  g.width = fb.width;
  g.height = fb.height;
  g.pitch = fb.pitch;
  g.bits_per_pixel = static_cast<uint8_t>(fb.bpp);
  const auto shift = [](uint32_t mask) {
    return static_cast<uint8_t>(mask == 0 ? 0 : __builtin_ctz(mask));
  };
  switch (fb.format) {
    case mu::PixelFormat::Rgbx8888: g.red_shift = 0, g.green_shift = 8, g.blue_shift = 16; break;
    case mu::PixelFormat::Bgrx8888: g.red_shift = 16, g.green_shift = 8, g.blue_shift = 0; break;
    default:
      g.red_shift = shift(fb.red_mask);
      g.green_shift = shift(fb.green_mask);
      g.blue_shift = shift(fb.blue_mask);
      break;
  }
  return g;
}

// RAM the firmware left for the OS: free memory, the loader's and boot services' memory (the
// kernel reclaims it) and what the kernel image and its boot tables occupy. Not the initrd (it
// stays what it is), firmware runtime memory, ACPI tables or device memory.
uint64_t usable_ram_bytes(const mu::BootInfo& info) {
  constexpr mu::MemoryType kTypes[] = {mu::MemoryType::Usable, mu::MemoryType::BootReclaimable,
                                       mu::MemoryType::KernelImage, mu::MemoryType::BootPageTables,
                                       mu::MemoryType::BootInfo};
  uint64_t bytes = 0;
  for (mu::MemoryType type : kTypes) bytes += mu::bootinfo_bytes_of(info, type);
  return bytes;
}

mu::PagePerms perms(bool write) {
  mu::PagePerms p;
  p.user = true;
  p.write = write;
  return p;
}

// Registers init starts with (mu/syscall.h "How a program starts"); the command line goes near
// the top of its stack, written through the direct map.
mu::UserRegisters start_registers(Process* process) {
  const BootHandoff& handoff = boot_handoff();
  const size_t cmd_len = handoff.cmdline.size() < 255 ? handoff.cmdline.size() : 255;
  const uint64_t cmd_user = mu::kUserStackTop - 512;
  char* cmd = static_cast<char*>(mm::phys_to_virt(process->space.translate(cmd_user).phys));
  for (size_t i = 0; i < cmd_len; ++i) cmd[i] = handoff.cmdline[i];
  cmd[cmd_len] = '\0';
  mu::UserRegisters regs{};
  regs.rip = process->entry_rip;
  regs.rsp = cmd_user - 64;
  regs.rflags = 0x202;
  regs.rsi = mu::kInitrdUserBase;
  regs.rdx = handoff.initrd_size;
  regs.rcx = cmd_user;
  regs.r8 = cmd_len;
  regs.r9 = handoff.kernel_tsc;
  return regs;
}

bool fail(StringView path, const char* why, mu::Status status) {
  kprintf("init: cannot start %.*s: %s (status %ld; %s)\n", static_cast<int>(path.size()),
          path.data(), mu::status_string(status), mu::status_value(status), why);
  return false;
}

}  // namespace

bool start_root_task(StringView path, const mu::BootInfo& info, const char* fpu_mode,
                     uint64_t timeslice_ms) {
  // The objects init itself is made of. They are boot objects with no untyped parent: deleting
  // their last cap destroys them but returns no memory (as for seL4's initial thread).
  const uint64_t cnode_pages = (uint64_t{1} << (mu::kInitCNodeRadix + object::kSlotBits)) / kPage;
  const uint64_t cnode_phys = mm::alloc_contiguous_frames(cnode_pages, cnode_pages);
  const uint64_t tcb_pages = object::kTcbSize / kPage;
  const uint64_t tcb_phys = mm::alloc_contiguous_frames(tcb_pages, tcb_pages);
  mm::AddressSpace space;
  if (cnode_phys == 0 || tcb_phys == 0 || !mm::AddressSpace::create(&space))
    return fail(path, "no memory for its CNode, TCB or VSpace", mu::Status::NoMemory);

  mu::Status status = mu::Status::Ok;
  Process* process = load_init(path, &status, space);
  if (process == nullptr) return fail(path, "loading failed", status);
  const BootHandoff& handoff = boot_handoff();
  status = map_shared(process, mu::kInitrdUserBase, handoff.initrd_phys, handoff.initrd_size);
  if (status == mu::Status::Ok)
    status = map_new_pages(process, mu::kInitIpcBufferAddr, 1, perms(true));
  if (status == mu::Status::Ok)
    status = map_new_pages(process, mu::kInitBootCapsAddr, kInitBootCapsPages, perms(false));
  if (status != mu::Status::Ok) {
    unload(process);
    return fail(path, "mapping its boot pages failed", status);
  }

  Builder b;
  b.cnode =
      object::CNode(static_cast<object::Slot*>(mm::phys_to_virt(cnode_phys)), mu::kInitCNodeRadix);
  // Built here, then copied page by page into init's record pages (not contiguous physically).
  static mu::InitBootCaps record;
  record = mu::InitBootCaps{};
  b.record = &record;

  Capability cnode_cap = make_cap(ObjectType::CNode, cnode_phys, mu::kRightsAll);
  cnode_cap.size_bits = mu::kInitCNodeRadix;
  Capability vspace_cap = make_cap(ObjectType::VSpace, process->space.root(), mu::kRightsAll);
  object::vspace_created(&vspace_cap);
  b.asid = vspace_cap.word0;
  Capability ioport = make_cap(ObjectType::IoPort, 0, mu::kRightsAll);
  ioport.word1 = 0xFFFF;
  const uint64_t ipc_phys = process->space.translate(mu::kInitIpcBufferAddr).phys;
  (void)install(b, mu::kInitSlotCNode, cnode_cap);
  (void)install(b, mu::kInitSlotTcb, make_cap(ObjectType::Tcb, tcb_phys, mu::kRightsAll));
  (void)install(b, mu::kInitSlotVSpace, vspace_cap);
  (void)install(b, mu::kInitSlotIrqControl, make_cap(ObjectType::IrqControl, 0, mu::kRightsAll));
  (void)install(b, mu::kInitSlotIoPort, ioport);
  (void)install(b, mu::kInitSlotIpcBuffer,
                frame_cap(ipc_phys, mu::kRightsAll, mu::kInitIpcBufferAddr, b.asid));

  record.magic = mu::kInitBootCapsMagic;
  record.image_frames = image_frames(b, process);
  record.initrd_frames =
      device_frames(b, info.initrd_base, info.initrd_size, mu::kRightRead | mu::kRightGrant);
  record.framebuffer_frames =
      device_frames(b, info.framebuffer.base, info.framebuffer.size, mu::kRightsAll);
  record.acpi_frames = acpi_frames(b, info);
  record.untyped = mu::InitCapRange{b.next, 0};
  const uint64_t slots_left = b.cnode.slot_count() - b.next;
  (void)mm::withdraw_free_blocks(
      kKernelReserveFrames, slots_left < mu::kMaxBootUntyped ? slots_left : mu::kMaxBootUntyped, add_untyped, &b);
  record.untyped.count = b.next - record.untyped.first;
  record.fb = framebuffer_geometry(info.framebuffer, record.framebuffer_frames.count);
  record.usable_bytes = usable_ram_bytes(info);
  // Everything usable that did not become untyped: the kernel image, its tables and stacks, and
  // the objects init itself is made of.
  record.kernel_bytes =
      record.usable_bytes > b.untyped_bytes ? record.usable_bytes - b.untyped_bytes : 0;
  record.first_free_slot = b.next;
  if (b.full) kprintf("init: warning: some initial capabilities did not fit init's CNode\n");

  // Copy the record into its (read-only to init) pages.
  const auto* bytes = reinterpret_cast<const uint8_t*>(&record);
  for (uint64_t page = 0; page < kInitBootCapsPages; ++page) {
    const uint64_t phys = process->space.translate(mu::kInitBootCapsAddr + page * kPage).phys;
    const uint64_t offset = page * kPage;
    const uint64_t n = sizeof(record) - offset < kPage ? sizeof(record) - offset : kPage;
    __builtin_memcpy(mm::phys_to_virt(phys), bytes + offset, n);
  }

  // init's thread: a TCB object configured like any other, resumed at its ELF entry.
  object::tcb_created(tcb_phys);
  object::TcbObject* tcb = static_cast<object::TcbObject*>(mm::phys_to_virt(tcb_phys));
  status = object::tcb_configure(tcb, slot(b, mu::kInitSlotCNode), slot(b, mu::kInitSlotVSpace),
                                 slot(b, mu::kInitSlotIpcBuffer), mu::kInitIpcBufferAddr, nullptr);
  if (status == mu::Status::Ok) status = object::tcb_write_registers(tcb, start_registers(process));
  if (status == mu::Status::Ok) status = object::tcb_set_mcp(tcb, 0, 0);
  if (status == mu::Status::Ok) status = object::tcb_set_priority(tcb, mu::kInitPriority, 0);
  if (status != mu::Status::Ok) {
    unload(process);
    return fail(path, "configuring its TCB failed", status);
  }
  for (size_t i = 0; i < sched::kThreadNameMax; ++i) {
    tcb->thread.name[i] = process->name[i];
    if (process->name[i] == '\0') break;
  }
  tcb->thread.name[sched::kThreadNameMax - 1] = '\0';
  attach_init_thread(process, &tcb->thread);
  kprintf(
      "init: started pid=%u path=%.*s fpu=%s timeslice_ms=%lu untyped_kib=%lu untyped_caps=%lu\n",
      process->pid, static_cast<int>(path.size()), path.data(), fpu_mode, timeslice_ms,
      b.untyped_bytes >> 10, record.untyped.count);
  status = object::tcb_resume(tcb);
  if (status != mu::Status::Ok) return fail(path, "resuming its TCB failed", status);
  return true;
}

}  // namespace kernel::proc
