// Reading whole files from the boot volume into EfiLoaderData pages.
#include "file_loader.h"

#include "config.h"

namespace muboot {
namespace {

constexpr uint64_t kReadChunk = 4ULL << 20;  // some firmware dislikes very large single reads

// ASCII path to the firmware's UCS-2, '/' accepted as a separator.
bool to_ucs2_path(const char* path, char16_t* out, size_t capacity) {
  size_t i = 0;
  for (; path[i] != '\0'; ++i) {
    if (i + 1 >= capacity) return false;
    out[i] = path[i] == '/' ? u'\\' : static_cast<char16_t>(static_cast<unsigned char>(path[i]));
  }
  out[i] = 0;
  return true;
}

// UEFI 2.10 §13.5.12 GetInfo(EFI_FILE_INFO): size and attributes of an open file.
Status file_size(EFI_FILE_PROTOCOL* file, const char* path, uint64_t* size) {
  // EFI_FILE_INFO ends in the variable-length file name; 1 KiB covers any name we can open.
  alignas(8) uint8_t buffer[1024];
  UINTN buffer_size = sizeof(buffer);
  const EFI_STATUS status = file->GetInfo(file, guid_arg(kFileInfoGuid), &buffer_size, buffer);
  if (EFI_ERROR(status)) return Status::fail(path, "cannot query file size", status);
  const auto* info = reinterpret_cast<const EFI_FILE_INFO*>(buffer);
  if ((info->Attribute & EFI_FILE_DIRECTORY) != 0) return Status::fail(path, "is a directory");
  *size = info->FileSize;
  return Status::ok();
}

Status read_all(EFI_FILE_PROTOCOL* file, const char* path, uint8_t* data, uint64_t size) {
  uint64_t done = 0;
  while (done < size) {
    UINTN chunk = size - done < kReadChunk ? size - done : kReadChunk;
    const EFI_STATUS status = file->Read(file, &chunk, data + done);
    if (EFI_ERROR(status)) return Status::fail(path, "read error", status);
    if (chunk == 0) return Status::fail(path, "file ended before its recorded size (read error)");
    done += chunk;
  }
  return Status::ok();
}

}  // namespace

Status open_boot_volume(EFI_HANDLE image, EFI_FILE_PROTOCOL** root) {
  EFI_BOOT_SERVICES* bs = ST->BootServices;
  EFI_LOADED_IMAGE* loaded = nullptr;
  EFI_STATUS status =
      bs->HandleProtocol(image, guid_arg(kLoadedImageGuid), reinterpret_cast<void**>(&loaded));
  if (EFI_ERROR(status)) return Status::fail("boot volume", "no loaded-image protocol", status);
  EFI_SIMPLE_FILE_SYSTEM_PROTOCOL* fs = nullptr;
  status = bs->HandleProtocol(loaded->DeviceHandle, guid_arg(kSimpleFileSystemGuid),
                              reinterpret_cast<void**>(&fs));
  if (EFI_ERROR(status)) {
    return Status::fail("boot volume", "muboot's device has no file system", status);
  }
  status = fs->OpenVolume(fs, root);
  if (EFI_ERROR(status)) return Status::fail("boot volume", "cannot open the volume", status);
  return Status::ok();
}

Status load_file(EFI_FILE_PROTOCOL* root, const char* path, LoadedFile* out) {
  char16_t wide[kConfigPathMax];
  if (!to_ucs2_path(path, wide, kConfigPathMax)) return Status::fail(path, "path too long");

  EFI_FILE_PROTOCOL* file = nullptr;
  EFI_STATUS status =
      root->Open(root, &file, reinterpret_cast<CHAR16*>(wide), EFI_FILE_MODE_READ, 0);
  if (status == EFI_NOT_FOUND) return Status::fail(path, "file not found", status);
  if (EFI_ERROR(status)) return Status::fail(path, "cannot open file", status);

  uint64_t size = 0;
  Status result = file_size(file, path, &size);
  if (result.is_ok() && size == 0) result = Status::fail(path, "file is empty");
  if (result.is_ok() && size > kMaxFileSize) result = Status::fail(path, "file is over 1 GiB");

  LoadedFile loaded;
  if (result.is_ok()) {
    loaded.size = size;
    loaded.pages = pages_for(size);
    EFI_PHYSICAL_ADDRESS base = 0;
    status = ST->BootServices->AllocatePages(AllocateAnyPages, EfiLoaderData, loaded.pages, &base);
    if (EFI_ERROR(status)) {
      loaded.pages = 0;
      result = Status::fail(path, "not enough memory to load the file", status);
    } else {
      loaded.base = base;
      auto* data = reinterpret_cast<uint8_t*>(base);
      zero_bytes(data + size, loaded.pages * kPage - size);
      result = read_all(file, path, data, size);
    }
  }
  (void)file->Close(file);
  if (!result.is_ok()) {
    release_file(&loaded);
    return result;
  }
  *out = loaded;
  return Status::ok();
}

void release_file(LoadedFile* file) {
  free_pages(file->base, file->pages);
  *file = LoadedFile{};
}

}  // namespace muboot
