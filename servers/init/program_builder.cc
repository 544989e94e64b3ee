// Program builder (program_builder.h): one arena per program instance. Every object comes from
// it, in descending size order so no alignment padding is lost: its own Untyped (heap), root
// CNode, TCB, the CNode init keeps its frames and tables in, then 4 KiB objects (VSpace, page
// tables, image, stack, IPC buffer and start pages), then the Reply object.
#include "program_builder.h"

#include "initrd.h"
#include "mu/elf.h"
#include "mu_caps.h"
#include "mu_runtime.h"
#include "mu_user.h"
#include "pool.h"

using namespace mu::user;
using mu::ObjectType;
using mu::Status;

namespace init {
namespace {

constexpr uint64_t kPage = 4096;
constexpr unsigned kSlotBits = 6;  // a CNode slot is 64 bytes (kernel/object/capability.h)
constexpr unsigned kTcbBits = 14;
constexpr uint64_t kStackPages = mu::kProgramStackBytes / kPage;
constexpr uint64_t kStartPages = (sizeof(mu::ProgramStart) + kPage - 1) / kPage;

uint64_t g_flags, g_boot_tsc, g_init_endpoint;
mu::ProgramStart g_start;  // filled for one program at a time, then copied into its pages

unsigned ceil_log2(uint64_t value) {
  unsigned bits = 0;
  while ((uint64_t{1} << bits) < value) ++bits;
  return bits;
}
uint64_t page_down(uint64_t a) { return a & ~(kPage - 1); }
uint64_t page_up(uint64_t a) { return (a + kPage - 1) & ~(kPage - 1); }

// Paging structures a range needs at most: one table per 2 MiB, directory per 1 GiB, PDPT per
// 512 GiB it touches.
uint64_t tables_for(uint64_t start, uint64_t end) {
  if (end <= start) return 0;
  uint64_t n = 0;
  const unsigned shifts[] = {21, 30, 39};
  for (unsigned shift : shifts) n += ((end - 1) >> shift) - (start >> shift) + 1;
  return n;
}

struct Build {
  Program* program;
  uint64_t vspace = 0;  // init's slot of the VSpace while building
  uint64_t keep_next = 0;
  uint64_t keep_slots = 0;
  uint64_t next_grant_slot = mu::kProgSlotFirstGrant;
  const char* failed = nullptr;  // what failed, for the log line
  int64_t status = 0;
};

bool fail(Build& b, const char* what, int64_t status) {
  if (b.failed == nullptr) {
    b.failed = what;
    b.status = status == 0 ? mu::status_value(Status::NoMemory) : status;
  }
  return false;
}

// A new object from the arena in a fresh slot of init's CNode (0 after recording a failure).
uint64_t make(Build& b, ObjectType type, unsigned user_bits, const char* what) {
  const uint64_t slot = slot_alloc();
  if (slot == 0) {
    fail(b, "init's CNode is full", mu::status_value(Status::NoMemory));
    return 0;
  }
  const int64_t r = untyped_retype(b.program->arena, type, user_bits, mu::kSelfCNode, slot, 1);
  if (r != 0) {
    slot_free(slot);
    fail(b, what, r);
    return 0;
  }
  return slot;
}

// Moves an object init no longer needs to name into the program's keep CNode.
void stash(uint64_t slot, void* context) {
  Build& b = *static_cast<Build*>(context);
  if (b.keep_next >= b.keep_slots) {
    fail(b, "frame bookkeeping overflowed", mu::status_value(Status::NoMemory));
    return;  // stays in init's CNode; the arena's revoke still destroys it
  }
  const int64_t r = cap_move(mu::kSelfCNode, slot, b.program->keep, b.keep_next++);
  if (r != 0) {
    fail(b, "moving a frame capability", r);
    return;
  }
  slot_free(slot);
}

// Fills `frame` with `len` bytes at `offset` in the page, through a scratch mapping of a copy.
bool fill_frame(Build& b, uint64_t frame, uint64_t offset, const void* data, uint64_t len) {
  const uint64_t copy = slot_alloc();
  if (copy == 0) return fail(b, "init's CNode is full", 0);
  int64_t r = cap_copy(mu::kSelfCNode, frame, mu::kSelfCNode, copy, mu::kRightsAll);
  void* page = r == 0 ? scratch_map(copy, 0) : nullptr;
  if (page != nullptr) {
    __builtin_memcpy(static_cast<uint8_t*>(page) + offset, data, len);
    scratch_unmap(copy);
  }
  slot_free(copy);
  if (page == nullptr) return fail(b, "filling a frame", r == 0 ? -1 : r);
  return true;
}

// A new frame mapped at `vaddr` in the program with `flags`, optionally filled; then stashed.
bool add_page(Build& b, uint64_t vaddr, uint64_t flags, uint64_t offset, const void* data,
              uint64_t len, uint64_t* frame_out = nullptr) {
  const uint64_t frame = make(b, ObjectType::Frame4K, 0, "out of memory for a page");
  if (frame == 0) return false;
  if (len > 0 && !fill_frame(b, frame, offset, data, len)) return false;
  const int64_t r = map_with_tables(frame, b.vspace, vaddr, flags, b.program->arena, stash, &b);
  if (r != 0) return fail(b, "mapping a page", r);
  if (frame_out != nullptr) {
    *frame_out = frame;
  } else {
    stash(frame, &b);
  }
  return b.failed == nullptr;
}

bool load_image(Build& b, const uint8_t* file, const mu::ElfImage& image) {
  for (size_t s = 0; s < image.segment_count; ++s) {
    const mu::ElfSegment& seg = image.segments[s];
    uint64_t flags = 0;
    if ((seg.flags & mu::kElfSegmentWrite) != 0) flags |= mu::kMapWrite;
    if ((seg.flags & mu::kElfSegmentExec) != 0) flags |= mu::kMapExecute;
    for (uint64_t va = page_down(seg.vaddr); va < seg.vaddr + seg.memsz; va += kPage) {
      // The part of the file's bytes that lands in this page (bss pages stay zero).
      const uint64_t from = va > seg.vaddr ? va : seg.vaddr;
      const uint64_t file_end = seg.vaddr + seg.filesz;
      const uint64_t to = va + kPage < file_end ? va + kPage : file_end;
      const uint64_t len = to > from ? to - from : 0;
      const uint8_t* src = file + seg.offset + (from - seg.vaddr);
      if (!add_page(b, va, flags, from - va, src, len)) return false;
    }
  }
  return true;
}

// argv[0] = path, then the words of `args`.
void fill_args(const char* path, const char* args) {
  uint64_t used = 0, argc = 0;
  auto add = [&](const char* word, size_t len) {
    if (argc >= mu::kMaxProgramArgs || used + len + 1 > mu::kProgramArgBytes) return;
    g_start.argv_offset[argc++] = static_cast<uint32_t>(used);
    for (size_t i = 0; i < len; ++i) g_start.args[used++] = word[i];
    g_start.args[used++] = '\0';
  };
  add(path, string_length(path));
  for (size_t i = 0; args != nullptr && args[i] != '\0';) {
    while (args[i] == ' ') ++i;
    size_t end = i;
    while (args[end] != '\0' && args[end] != ' ') ++end;
    if (end > i) add(args + i, end - i);
    i = end;
  }
  g_start.argc = argc;
}

void copy_name(char* dst, size_t size, const char* src) {
  size_t i = 0;
  for (; src != nullptr && src[i] != '\0' && i + 1 < size; ++i) dst[i] = src[i];
  dst[i] = '\0';
}

mu::Grant* add_grant(mu::GrantKind kind, uint64_t slot, uint32_t count, uint64_t a, uint64_t c,
                     const char* name) {
  if (g_start.grant_count >= mu::kMaxGrants) return nullptr;
  mu::Grant& g = g_start.grants[g_start.grant_count++];
  g.kind = kind;
  g.count = count;
  g.slot = slot;
  g.a = a;
  g.b = c;
  copy_name(g.name, sizeof(g.name), name);
  return &g;
}

// Manifest grants into the program's CNode from kProgSlotFirstGrant (ProgramStart::grants).
bool add_grants(Build& b, const ServiceSpec& spec) {
  const uint64_t cnode = b.program->cnode;
  for (size_t i = 0; i < spec.port_count; ++i) {
    const PortRange& range = spec.ports[i];
    const uint64_t slot = b.next_grant_slot++;
    const int64_t r = io_port_issue(mu::kInitSlotIoPort, range.first, range.last, cnode, slot);
    if (r != 0) return fail(b, "issuing its I/O ports", r);
    add_grant(mu::GrantKind::IoPort, slot, 1, range.first, range.last, range.name);
  }
  for (size_t i = 0; i < spec.irq_count; ++i) {
    const uint64_t slot = b.next_grant_slot++;
    const int64_t r = irq_control_get(mu::kInitSlotIrqControl, spec.irqs[i], cnode, slot);
    if (r != 0) return fail(b, "getting its IRQ line", r);
    char name[8];
    (void)format(name, sizeof(name), "irq%u", static_cast<unsigned>(spec.irqs[i]));
    add_grant(mu::GrantKind::Irq, slot, 1, spec.irqs[i], 0, name);
  }
  if (spec.framebuffer) {
    const mu::InitBootCaps& caps = *init_boot_caps();
    const uint64_t count = caps.framebuffer_frames.count;
    if (count == 0) {
      print("init: %s: no framebuffer to grant\n", b.program->name);
    } else if (b.next_grant_slot + count > (uint64_t{1} << b.program->cnode_radix)) {
      print("init: %s: the framebuffer (%lu frames) does not fit its CNode; not granted\n",
            b.program->name, count);
    } else {
      const uint64_t first = b.next_grant_slot;
      for (uint64_t i = 0; i < count; ++i) {
        const int64_t r = cap_copy(mu::kSelfCNode, caps.framebuffer_frames.first + i, cnode,
                                   first + i, mu::kRightsAll);
        if (r != 0) return fail(b, "copying the framebuffer frames", r);
      }
      b.next_grant_slot += count;
      add_grant(mu::GrantKind::Framebuffer, first, static_cast<uint32_t>(count), 0, 0,
                "framebuffer");
      g_start.fb = caps.fb;
    }
  }
  return true;
}

// Sets the first I/O port grant on the thread (the cap is issued again into a scratch slot of
// init's, since TcbSetIoPorts names it in the caller's CSpace).
// Each granted port range is opened on the thread (TcbSetIoPorts index 0..2, one per range; the
// manifest allows no more than the kernel's three), so the program can use exactly its ports from
// its first instruction.
bool set_thread_ports(Build& b, const ServiceSpec& spec) {
  for (size_t i = 0; i < spec.port_count; ++i) {
    const uint64_t scratch = slot_alloc();
    if (scratch == 0) return fail(b, "init's CNode is full", 0);
    int64_t r = io_port_issue(mu::kInitSlotIoPort, spec.ports[i].first, spec.ports[i].last,
                              mu::kSelfCNode, scratch);
    if (r == 0) r = tcb_set_io_ports(b.program->tcb, scratch, i);
    slot_free(scratch);  // the TCB keeps its own copy
    if (r != 0) return fail(b, "setting its I/O ports", r);
  }
  return true;
}

// Room for the fixed slots, every grant and 2^kProgramCNodeRadix free slots besides.
unsigned cnode_radix_for(const ProgramRequest& request) {
  uint64_t grant_slots = 0;
  if (request.grants != nullptr) {
    const ServiceSpec& spec = *request.grants;
    grant_slots = spec.port_count + spec.irq_count;
    if (spec.framebuffer) grant_slots += mu::user::init_boot_caps()->framebuffer_frames.count;
  }
  const uint64_t wanted =
      mu::kProgSlotFirstGrant + grant_slots + (uint64_t{1} << mu::kProgramCNodeRadix);
  unsigned radix = mu::kProgramCNodeRadix;
  while (radix < mu::kProgramMaxCNodeRadix && (uint64_t{1} << radix) < wanted) ++radix;
  return radix;
}

bool fill_start(Build& b, const ProgramRequest& request, uint64_t heap_bytes) {
  g_start = mu::ProgramStart{};
  g_start.magic = mu::kProgramStartMagic;
  g_start.pid = b.program->pid;
  copy_name(g_start.name, sizeof(g_start.name), b.program->name);
  g_start.flags = g_flags;
  g_start.boot_tsc = g_boot_tsc;
  g_start.priority = request.priority;
  g_start.untyped_bytes = heap_bytes;
  fill_args(request.path, request.args);
  if (request.grants != nullptr && !add_grants(b, *request.grants)) return false;
  g_start.cnode_radix = b.program->cnode_radix;
  g_start.first_free_slot = b.next_grant_slot;
  return true;
}

bool map_start_pages(Build& b) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(&g_start);
  for (uint64_t i = 0; i < kStartPages; ++i) {
    const uint64_t off = i * kPage;
    const uint64_t len = sizeof(g_start) - off < kPage ? sizeof(g_start) - off : kPage;
    if (!add_page(b, mu::kProgramStartAddr + off, 0, 0, bytes + off, len)) return false;
  }
  return true;
}

// The fixed slots of mu::ProgramSlot and the thread's configuration.
bool fill_slots_and_thread(Build& b, const ProgramRequest& request) {
  Program& p = *b.program;
  const uint64_t cnode = p.cnode;
  int64_t r = cap_copy(mu::kSelfCNode, cnode, cnode, mu::kProgSlotCNode, mu::kRightsAll);
  if (r == 0) r = cap_copy(mu::kSelfCNode, p.tcb, cnode, mu::kProgSlotTcb, mu::kRightsAll);
  if (r == 0) r = cap_copy(mu::kSelfCNode, b.vspace, cnode, mu::kProgSlotVSpace, mu::kRightsAll);
  if (r == 0) {
    r = cap_mint(mu::kSelfCNode, g_init_endpoint, cnode, mu::kProgSlotInit,
                 mu::kRightWrite | mu::kRightGrant | mu::kRightGrantReply, p.pid);
  }
  if (r != 0) return fail(b, "filling its CNode", r);
  // The IPC buffer: mapped, named in TcbConfigure, then handed to the program.
  uint64_t ipc = 0;
  if (!add_page(b, mu::kProgramIpcBufferAddr, mu::kMapWrite, 0, nullptr, 0, &ipc)) return false;
  const uint64_t fault_ep = slot_alloc();
  if (fault_ep == 0) return fail(b, "init's CNode is full", 0);
  r = cap_mint(mu::kSelfCNode, g_init_endpoint, mu::kSelfCNode, fault_ep,
               mu::kRightWrite | mu::kRightGrantReply, kFaultBadgeBit | p.pid);
  if (r == 0) {
    r = tcb_configure(p.tcb, cnode, b.vspace, ipc, mu::kProgramIpcBufferAddr, fault_ep);
  }
  slot_free(fault_ep);  // the TCB keeps its own copy
  if (r != 0) return fail(b, "configuring its thread", r);
  r = cap_move(mu::kSelfCNode, ipc, cnode, mu::kProgSlotIpcBuffer);
  if (r != 0) return fail(b, "moving its IPC buffer capability", r);
  slot_free(ipc);
  r = untyped_retype(p.arena, ObjectType::Reply, 0, cnode, mu::kProgSlotReply, 1);
  if (r != 0) return fail(b, "out of memory for its Reply object", r);
  if (request.grants != nullptr && !set_thread_ports(b, *request.grants)) return false;

  return true;
}

bool start_thread(Build& b, const ProgramRequest& request, uint64_t entry) {
  Program& p = *b.program;
  mu::UserRegisters regs{};
  regs.rip = entry;
  regs.rsp = mu::kProgramStackTop;
  regs.rdi = request.arg;
  int64_t r = tcb_write_registers(p.tcb, &regs);
  if (r == 0) r = tcb_set_mcp(p.tcb, request.priority);
  if (r == 0) r = tcb_set_priority(p.tcb, request.priority);
  if (r == 0) r = tcb_resume(p.tcb);
  if (r != 0) return fail(b, "starting its thread", r);
  return true;
}

const char* base_name(const char* path) {
  const char* name = path;
  for (const char* p = path; *p != '\0'; ++p) {
    if (*p == '/' && p[1] != '\0') name = p + 1;
  }
  return name;
}

}  // namespace

void builder_init(uint64_t start_flags, uint64_t boot_tsc, uint64_t init_endpoint) {
  g_flags = start_flags;
  g_boot_tsc = boot_tsc;
  g_init_endpoint = init_endpoint;
}

int64_t build_program(const ProgramRequest& request, uint64_t pid, Program* out) {
  *out = Program{};
  Program& p = *out;
  p.pid = pid;
  p.priority = request.priority;
  copy_name(p.name, sizeof(p.name),
            request.name != nullptr ? request.name : base_name(request.path));

  InitrdFile file{};
  if (!initrd_find(request.path, string_length(request.path), &file)) {
    print("init: cannot start %s: %s: no such file in the initrd\n", p.name, request.path);
    return mu::status_value(Status::NotFound);
  }
  mu::ElfImage image{};
  const mu::ElfError elf = mu::validate_elf(file.data, file.size, mu::ElfTarget::User, &image);
  if (elf != mu::ElfError::None) {
    print("init: cannot start %s: %s: %s\n", p.name, request.path, mu::elf_error_string(elf));
    return mu::status_value(Status::BadExecutable);
  }

  // What the arena must hold.
  uint64_t pages = kStackPages + kStartPages + 1;  // stack, start page, IPC buffer
  uint64_t tables = tables_for(mu::kProgramStartAddr, mu::kProgramStackTop + 2 * kPage);
  for (size_t s = 0; s < image.segment_count; ++s) {
    const mu::ElfSegment& seg = image.segments[s];
    const uint64_t start = page_down(seg.vaddr), end = page_up(seg.vaddr + seg.memsz);
    pages += (end - start) / kPage;
    tables += tables_for(start, end);
  }
  const unsigned keep_radix = ceil_log2(pages + tables + 8);
  const unsigned heap_bits = request.heap_bytes == 0              ? 0
                             : ceil_log2(request.heap_bytes) < 12 ? 12
                                                                  : ceil_log2(request.heap_bytes);
  const uint64_t heap = heap_bits == 0 ? 0 : uint64_t{1} << heap_bits;
  p.cnode_radix = cnode_radix_for(request);
  const unsigned cnode_bits = p.cnode_radix + kSlotBits;
  const unsigned keep_bits = keep_radix + kSlotBits;
  // VSpace, pages, tables and one page for the small objects (Reply).
  const uint64_t objects = (uint64_t{1} << cnode_bits) + (uint64_t{1} << kTcbBits) +
                           (uint64_t{1} << keep_bits) + (pages + tables + 2) * kPage;
  const uint64_t budget = request.memory_bytes > objects ? request.memory_bytes : objects;
  p.arena_bits = ceil_log2(budget + heap);
  p.arena = pool_alloc(p.arena_bits);
  if (p.arena == 0) {
    print("init: cannot start %s: out of memory (needs %lu KiB, largest free block %lu KiB)\n",
          p.name, (uint64_t{1} << p.arena_bits) >> 10, pool_largest_free_bytes() >> 10);
    return mu::status_value(Status::NotEnoughMemory);
  }

  Build b;
  b.program = &p;
  b.keep_slots = uint64_t{1} << keep_radix;
  // Descending size order: heap and CNode (whichever is larger first), TCB and keep CNode.
  struct Big {
    unsigned bits;
    int what;  // 0 heap (retyped later into the program's CNode), 1 CNode, 2 TCB, 3 keep
  } big[4] = {{heap_bits, 0}, {cnode_bits, 1}, {kTcbBits, 2}, {keep_bits, 3}};
  for (int i = 0; i < 4; ++i) {
    for (int j = i + 1; j < 4; ++j) {
      if (big[j].bits > big[i].bits) {
        const Big t = big[i];
        big[i] = big[j];
        big[j] = t;
      }
    }
  }
  bool ok = true;
  uint64_t heap_slot = 0;
  for (const Big& item : big) {
    if (!ok) break;
    switch (item.what) {
      case 0:
        // Into init's CNode for now (the program's CNode may not exist yet); moved to
        // kProgSlotUntyped once it does.
        if (heap_bits != 0) {
          heap_slot = make(b, ObjectType::Untyped, heap_bits, "out of memory for its own untyped");
          ok = heap_slot != 0;
        }
        break;
      case 1:
        if (p.cnode == 0) {
          p.cnode = make(b, ObjectType::CNode, p.cnode_radix, "out of memory for its CNode");
          ok = p.cnode != 0;
        }
        break;
      case 2:
        p.tcb = make(b, ObjectType::Tcb, 0, "out of memory for its TCB");
        ok = p.tcb != 0;
        break;
      case 3:
        p.keep = make(b, ObjectType::CNode, keep_radix, "out of memory for its page bookkeeping");
        ok = p.keep != 0;
        break;
    }
  }
  if (ok && heap_slot != 0) {
    const int64_t r = cap_move(mu::kSelfCNode, heap_slot, p.cnode, mu::kProgSlotUntyped);
    ok = r == 0 || fail(b, "moving its own untyped", r);
  }
  slot_free(heap_slot);
  if (ok) {
    b.vspace = make(b, ObjectType::VSpace, 0, "out of memory for its VSpace");
    ok = b.vspace != 0;
  }
  ok = ok && load_image(b, file.data, image);
  for (uint64_t i = 0; ok && i < kStackPages; ++i) {
    ok = add_page(b, mu::kProgramStackTop - mu::kProgramStackBytes + i * kPage, mu::kMapWrite, 0,
                  nullptr, 0);
  }
  ok = ok && fill_start(b, request, heap) && map_start_pages(b);
  ok = ok && fill_slots_and_thread(b, request) && start_thread(b, request, image.entry);
  if (b.vspace != 0) {
    // The program holds a copy (kProgSlotVSpace); init's goes with the frames.
    if (ok) {
      stash(b.vspace, &b);
    } else {
      slot_free(b.vspace);
    }
  }
  if (!ok || b.failed != nullptr) {
    if (!request.quiet_errors) {
      const int64_t s = b.status;
      print("init: cannot start %s: %s (%s)\n", p.name, b.failed != nullptr ? b.failed : "failed",
            mu::status_string(static_cast<Status>(s)));
    }
    const int64_t status = b.status != 0 ? b.status : mu::status_value(Status::NoMemory);
    teardown_program(&p);
    return status;
  }
  return 0;
}

void teardown_program(Program* program) {
  if (program->arena == 0) return;
  if (program->tcb != 0) (void)tcb_suspend(program->tcb);
  // Revoking the arena destroys every object made for the program and every capability to them
  // (the slots init held for its CNode, TCB and keep CNode are emptied too).
  pool_free(program->arena);
  slot_free(program->cnode);
  slot_free(program->tcb);
  slot_free(program->keep);
  *program = Program{};
}

}  // namespace init
