// Reading whole files from the volume muboot itself was loaded from (UEFI 2.10 §13.4-13.5).
#pragma once

#include "status.h"
#include "uefi.h"

namespace muboot {

inline constexpr uint64_t kMaxFileSize = 1ULL << 30;  // refuse anything above 1 GiB

struct LoadedFile {
  uint64_t base = 0;   // physical address of the first byte (page-aligned, EfiLoaderData)
  uint64_t size = 0;   // bytes of file data
  uint64_t pages = 0;  // pages allocated; bytes past `size` are zero
};

// Opens the root directory of the boot volume: LoadedImage -> DeviceHandle -> SimpleFileSystem.
[[nodiscard]] Status open_boot_volume(EFI_HANDLE image, EFI_FILE_PROTOCOL** root);

// Reads all of `path` (ASCII, '\'-separated, from the root) into fresh pages. Missing file,
// directory, read error, short read and empty file are failures with `path` as the subject.
// A failure of kind "not found" carries EFI_NOT_FOUND as its status.
[[nodiscard]] Status load_file(EFI_FILE_PROTOCOL* root, const char* path, LoadedFile* out);

void release_file(LoadedFile* file);

}  // namespace muboot
