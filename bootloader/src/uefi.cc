// Small boot-services helpers shared by the muboot stages.
#include "uefi.h"

namespace muboot {

bool guid_equal(const EFI_GUID& a, const EFI_GUID& b) {
  if (a.Data1 != b.Data1 || a.Data2 != b.Data2 || a.Data3 != b.Data3) return false;
  for (int i = 0; i < 8; ++i) {
    if (a.Data4[i] != b.Data4[i]) return false;
  }
  return true;
}

EFI_STATUS allocate_zeroed_pages(uint64_t pages, uint64_t* phys) {
  EFI_PHYSICAL_ADDRESS address = 0;
  const EFI_STATUS status =
      ST->BootServices->AllocatePages(AllocateAnyPages, EfiLoaderData, pages, &address);
  if (EFI_ERROR(status)) return status;
  zero_bytes(reinterpret_cast<void*>(address), pages * kPage);
  *phys = address;
  return EFI_SUCCESS;
}

void free_pages(uint64_t phys, uint64_t pages) {
  if (pages != 0) (void)ST->BootServices->FreePages(phys, pages);
}

// UEFI 2.10 §7.5 SetMem/CopyMem: the firmware's versions are optimised (and handle overlap).
void zero_bytes(void* where, uint64_t size) {
  if (size != 0) ST->BootServices->SetMem(where, size, 0);
}

void copy_bytes(void* to, const void* from, uint64_t size) {
  if (size != 0) ST->BootServices->CopyMem(to, const_cast<void*>(from), size);
}

const char* efi_status_string(EFI_STATUS status) {
  // UEFI 2.10 Appendix D status codes.
  switch (status) {
    case EFI_SUCCESS: return "success";
    case EFI_LOAD_ERROR: return "load error";
    case EFI_INVALID_PARAMETER: return "invalid parameter";
    case EFI_UNSUPPORTED: return "unsupported";
    case EFI_BAD_BUFFER_SIZE: return "bad buffer size";
    case EFI_BUFFER_TOO_SMALL: return "buffer too small";
    case EFI_NOT_READY: return "not ready";
    case EFI_DEVICE_ERROR: return "device error";
    case EFI_WRITE_PROTECTED: return "write protected";
    case EFI_OUT_OF_RESOURCES: return "out of memory";
    case EFI_VOLUME_CORRUPTED: return "volume corrupted";
    case EFI_VOLUME_FULL: return "volume full";
    case EFI_NO_MEDIA: return "no media";
    case EFI_MEDIA_CHANGED: return "media changed";
    case EFI_NOT_FOUND: return "not found";
    case EFI_ACCESS_DENIED: return "access denied";
    case EFI_TIMEOUT: return "timeout";
    case EFI_ABORTED: return "aborted";
    case EFI_SECURITY_VIOLATION: return "security violation";
    default: return "firmware error";
  }
}

}  // namespace muboot
