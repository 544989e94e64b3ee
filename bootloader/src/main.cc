// muboot entry point: config, kernel, initrd, video, ACPI, page tables, memory map, jump.
#include "acpi_rsdp.h"
#include "config.h"
#include "console.h"
#include "cpu.h"
#include "elf_loader.h"
#include "exit_and_jump.h"
#include "file_loader.h"
#include "framebuffer.h"
#include "hhdm_plan.h"
#include "memory_map.h"
#include "mu/bootinfo.h"
#include "page_tables.h"
#include "uefi.h"
#include "version.h"

namespace muboot {
namespace {

constexpr char kConfigPath[] = "\\boot\\muboot.cfg";
constexpr uint64_t kBootStackSize = 16 * 1024;
constexpr uint64_t kFailureDelayMicroseconds = 5'000'000;
constexpr size_t kMaxHhdmRanges = 64;

// Everything allocated on the way, so a failure can give it back before returning.
struct BootState {
  EFI_HANDLE image = nullptr;
  ConfigParseResult config = {};
  LoadedFile initrd;
  KernelImage kernel;
  bool kernel_placed = false;
  mu::Framebuffer framebuffer = {};
  uint64_t bootinfo_phys = 0;
  uint64_t bootinfo_pages = 0;
  BootPageTables tables;
  MemoryMapWorkspace workspace;
  PhysRange hhdm[kMaxHhdmRanges] = {};
  size_t hhdm_count = 0;
};

// A few KiB (config, page-table ranges, HHDM plan): kept off the firmware's small stack. Zero-
// initialised in the image; efi_main runs once.
constinit BootState g_state;

void release(BootState& state) {
  for (size_t i = 0; i < state.tables.range_count; ++i) {
    free_pages(state.tables.ranges[i].base, state.tables.ranges[i].size / kPage);
  }
  state.tables.range_count = 0;
  free_pages(state.workspace.phys, state.workspace.pages);
  free_pages(state.bootinfo_phys, state.bootinfo_pages);
  if (state.kernel_placed) free_pages(state.kernel.phys_base, state.kernel.size / kPage);
  release_file(&state.initrd);
}

// Reads \boot\muboot.cfg; every problem is a warning and the affected key keeps its default.
void load_config(EFI_FILE_PROTOCOL* root, ConfigParseResult* result) {
  LoadedFile file;
  const Status status = load_file(root, kConfigPath, &file);
  if (!status.is_ok()) {
    config_set_defaults(&result->config);
    result->warning_count = 0;
    LineBuffer line;
    line.str("warning: ").str(kConfigPath).str(": ").str(status.reason());
    if (status.efi_status() != 0 && status.efi_status() != EFI_NOT_FOUND) {
      line.str(" (").str(efi_status_string(status.efi_status())).chr(')');
    }
    line.str(", using defaults");
    print(line);
    return;
  }
  parse_config(reinterpret_cast<const char*>(file.base), file.size, result);
  release_file(&file);
  for (size_t i = 0; i < result->warning_count; ++i) {
    const ConfigWarning& w = result->warnings[i];
    LineBuffer line;
    line.str("warning: ").str(kConfigPath).str(" line ").dec(w.line).str(": ");
    if (w.key[0] != '\0') line.chr('"').str(w.key).str("\": ");
    line.str(config_warning_string(w.kind));
    print(line);
  }
  if (result->warnings_dropped != 0) {
    LineBuffer line;
    line.str("warning: ")
        .str(kConfigPath)
        .str(": ")
        .dec(result->warnings_dropped)
        .str(" more warnings not shown");
    print(line);
  }
}

Status load_images(EFI_FILE_PROTOCOL* root, BootState& state) {
  const Config& config = state.config.config;
  LoadedFile kernel_file;
  MU_TRY(load_file(root, config.kernel, &kernel_file));
  const Status placed = load_kernel(kernel_file, config.kernel, &state.kernel);
  release_file(&kernel_file);  // the placed copy is all the kernel needs
  MU_TRY(placed);
  state.kernel_placed = true;
  return load_file(root, config.initrd, &state.initrd);
}

void fill_bootinfo(BootState& state, uint64_t loader_tsc, const RsdpLocation& rsdp) {
  auto* info = reinterpret_cast<mu::BootInfo*>(state.bootinfo_phys);
  info->magic = mu::kBootInfoMagic;
  info->version = mu::kBootInfoVersion;
  info->size = sizeof(mu::BootInfo);
  info->hhdm_base = mu::kHhdmBase;
  info->kernel_phys_base = state.kernel.phys_base;
  info->kernel_virt_base = state.kernel.elf.lowest_vaddr;
  info->kernel_size = state.kernel.size;
  info->initrd_base = state.initrd.base;
  info->initrd_size = state.initrd.size;
  info->rsdp = rsdp.address;
  info->framebuffer = state.framebuffer;
  info->loader_tsc = loader_tsc;
  str_copy(info->loader_name, sizeof(info->loader_name), kLoaderName);
  str_copy(info->loader_version, sizeof(info->loader_version), kLoaderVersion);
  str_copy(info->cmdline, sizeof(info->cmdline), state.config.config.cmdline);
}

[[nodiscard]] bool add_overlays(const BootState& state, bool with_loader_pages, Overlays* out) {
  *out = Overlays{};
  const mu::Framebuffer& fb = state.framebuffer;
  bool ok = out->add(fb.base, pages_for(fb.size) * kPage, mu::MemoryType::Framebuffer);
  if (!with_loader_pages) return ok;
  ok = ok && out->add(state.kernel.phys_base, state.kernel.size, mu::MemoryType::KernelImage);
  ok = ok && out->add(state.initrd.base, state.initrd.pages * kPage, mu::MemoryType::Initrd);
  ok = ok && out->add(state.bootinfo_phys, state.bootinfo_pages * kPage, mu::MemoryType::BootInfo);
  for (size_t i = 0; i < state.tables.range_count; ++i) {
    ok = ok && out->add(state.tables.ranges[i].base, state.tables.ranges[i].size,
                        mu::MemoryType::BootPageTables);
  }
  return ok;
}

// HHDM ranges come from the map as it is now: only types change later, not which addresses
// exist. The framebuffer is laid over it in case it sits above 4 GiB outside the map.
Status plan_direct_map(BootState& state) {
  MU_TRY(prepare_workspace(&state.workspace));
  Overlays overlays;
  if (!add_overlays(state, false, &overlays))
    return Status::fail("memory map", "too many overlays");
  auto* info = reinterpret_cast<mu::BootInfo*>(state.bootinfo_phys);
  size_t count = 0;
  UINTN key = 0;
  MU_TRY(read_memory_map(state.workspace, overlays, info->regions, mu::kMaxMemoryRegions, &count,
                         &key));
  state.hhdm_count = plan_hhdm(info->regions, count, state.hhdm, kMaxHhdmRanges);
  if (state.hhdm_count == 0) {
    return Status::fail("page tables", "too many separate memory ranges above 4 GiB");
  }
  return Status::ok();
}

void print_summary(const BootState& state) {
  const Config& config = state.config.config;
  LineBuffer line;
  line.str("kernel ")
      .str(config.kernel)
      .str(" entry=")
      .hex(state.kernel.elf.entry)
      .str(" phys=")
      .hex(state.kernel.phys_base)
      .str(" size=")
      .dec(state.kernel.size)
      .str("; initrd ")
      .str(config.initrd)
      .chr(' ')
      .dec(state.initrd.size)
      .str(" bytes; jumping");
  print(line);
}

// Returns only on failure; while the Status says firmware is usable the caller may report it.
Status boot(EFI_HANDLE image, uint64_t loader_tsc, BootState& state) {
  state.image = image;
  // A 5-minute watchdog is armed for boot options (UEFI 2.10 §3.1.2); we are an OS loader.
  (void)ST->BootServices->SetWatchdogTimer(0, 0, 0, nullptr);
  if ((cpu::read_cr4() & cpu::kCr4La57) != 0) {
    return Status::fail("cpu", "firmware runs with 5-level paging; muboot builds 4-level tables");
  }

  EFI_FILE_PROTOCOL* root = nullptr;
  MU_TRY(open_boot_volume(image, &root));
  load_config(root, &state.config);
  const Config& config = state.config.config;
  if (config.cmdline[0] != '\0') {
    LineBuffer line;
    line.str("cmdline \"").str(config.cmdline).chr('"');
    print(line);
  }
  const Status loaded = load_images(root, state);
  (void)root->Close(root);
  MU_TRY(loaded);

  setup_framebuffer(config.video, &state.framebuffer);
  const RsdpLocation rsdp = find_rsdp(ST);
  if (rsdp.address == 0) warn("no ACPI RSDP in the firmware's configuration table");

  state.bootinfo_pages = pages_for(sizeof(mu::BootInfo)) + kBootStackSize / kPage;
  const EFI_STATUS alloc = allocate_zeroed_pages(state.bootinfo_pages, &state.bootinfo_phys);
  if (EFI_ERROR(alloc)) {
    state.bootinfo_pages = 0;
    return Status::fail("BootInfo", "out of memory", alloc);
  }
  fill_bootinfo(state, loader_tsc, rsdp);

  MU_TRY(plan_direct_map(state));
  PageTableInputs inputs;
  inputs.hhdm = state.hhdm;
  inputs.hhdm_count = state.hhdm_count;
  inputs.kernel = &state.kernel;
  trampoline_pages(&inputs.trampoline_base, &inputs.trampoline_size);
  MU_TRY(build_page_tables(inputs, &state.tables));
  // Page-table allocations may have grown the map: make sure the final read still fits.
  MU_TRY(prepare_workspace(&state.workspace));
  Overlays overlays;
  if (!add_overlays(state, true, &overlays)) return Status::fail("memory map", "too many overlays");

  print_summary(state);
  auto* info = reinterpret_cast<mu::BootInfo*>(state.bootinfo_phys);
  bool firmware_gone = false;
  const Status exited = exit_boot_services(image, state.workspace, overlays, info, &firmware_gone);
  if (!exited.is_ok() && !firmware_gone) return exited;
  console_detach_firmware();  // from here on COM1 only (UEFI 2.10 §7.4.6)
  if (!exited.is_ok()) {
    print_error(exited);
    print("boot services may be half shut down; cannot return to firmware; halting");
    cpu::halt_forever();
  }

  JumpTarget target;
  target.cr3 = state.tables.root;
  target.entry = state.kernel.elf.entry;
  target.bootinfo_virt = mu::kHhdmBase + state.bootinfo_phys;
  target.stack_top_virt = mu::kHhdmBase + state.bootinfo_phys + state.bootinfo_pages * kPage;
  jump_to_kernel(target, info);
}

// For debugging: muboot.so is linked at 0, so gdb loads its symbols with this offset.
void print_image_base(EFI_HANDLE image) {
  EFI_LOADED_IMAGE* loaded = nullptr;
  if (EFI_ERROR(ST->BootServices->HandleProtocol(image, guid_arg(kLoadedImageGuid),
                                                 reinterpret_cast<void**>(&loaded)))) {
    return;
  }
  const uint64_t base = reinterpret_cast<uint64_t>(loaded->ImageBase);
  LineBuffer line;
  line.str("image base ")
      .hex(base)
      .str(" (gdb: add-symbol-file build/bootloader/muboot.so -o ")
      .hex(base)
      .chr(')');
  print(line);
}

}  // namespace
}  // namespace muboot

// Called by gnu-efi's crt0 with the System V ABI, hence no EFIAPI (docs/boot-protocol.md).
extern "C" EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE* system_table) {
  using namespace muboot;
  const uint64_t loader_tsc = cpu::rdtsc();
  InitializeLib(image, system_table);
  console_init(system_table);
  LineBuffer banner;
  banner.str(kLoaderName).chr(' ').str(kLoaderVersion);
  print(banner);
  print_image_base(image);

  BootState& state = g_state;
  const Status failure = boot(image, loader_tsc, state);
  print_error(failure);
  release(state);
  print("returning to firmware in 5 seconds");
  (void)ST->BootServices->Stall(kFailureDelayMicroseconds);
  print("returning to firmware");
  return failure.efi_status() != 0 ? static_cast<EFI_STATUS>(failure.efi_status()) : EFI_LOAD_ERROR;
}
