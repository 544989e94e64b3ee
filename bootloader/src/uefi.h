// gnu-efi headers for C++, the GUIDs muboot uses, and small boot-services helpers.
#pragma once

#include <stddef.h>
#include <stdint.h>

// gnu-efi's headers have no C++ linkage markers of their own.
extern "C" {
#include <efi.h>
#include <efilib.h>
}

namespace muboot {

inline constexpr uint64_t kPage = 4096;

// UEFI 2.10 §9.1 EFI_LOADED_IMAGE_PROTOCOL.
inline constexpr EFI_GUID kLoadedImageGuid = {
    0x5B1B31A1, 0x9562, 0x11D2, {0x8E, 0x3F, 0x00, 0xA0, 0xC9, 0x69, 0x72, 0x3B}};
// UEFI 2.10 §13.4 EFI_SIMPLE_FILE_SYSTEM_PROTOCOL.
inline constexpr EFI_GUID kSimpleFileSystemGuid = {
    0x964E5B22, 0x6459, 0x11D2, {0x8E, 0x39, 0x00, 0xA0, 0xC9, 0x69, 0x72, 0x3B}};
// UEFI 2.10 §13.5.16 EFI_FILE_INFO.
inline constexpr EFI_GUID kFileInfoGuid = {
    0x09576E92, 0x6D3F, 0x11D2, {0x8E, 0x39, 0x00, 0xA0, 0xC9, 0x69, 0x72, 0x3B}};
// UEFI 2.10 §12.9 EFI_GRAPHICS_OUTPUT_PROTOCOL.
inline constexpr EFI_GUID kGraphicsOutputGuid = {
    0x9042A9DE, 0x23DC, 0x4A38, {0x96, 0xFB, 0x7A, 0xDE, 0xD0, 0x80, 0x51, 0x6A}};
// UEFI 2.10 §4.6.1 configuration-table GUIDs for the ACPI RSDP.
inline constexpr EFI_GUID kAcpi20TableGuid = {
    0x8868E871, 0xE4F1, 0x11D3, {0xBC, 0x22, 0x00, 0x80, 0xC7, 0x3C, 0x88, 0x81}};
inline constexpr EFI_GUID kAcpi10TableGuid = {
    0xEB9D2D30, 0x2D88, 0x11D3, {0x9A, 0x16, 0x00, 0x90, 0x27, 0x3F, 0xC1, 0x4D}};

[[nodiscard]] bool guid_equal(const EFI_GUID& a, const EFI_GUID& b);

// Firmware APIs take non-const GUID pointers; the firmware never writes through them.
[[nodiscard]] inline EFI_GUID* guid_arg(const EFI_GUID& guid) {
  return const_cast<EFI_GUID*>(&guid);
}

[[nodiscard]] inline uint64_t pages_for(uint64_t bytes) { return (bytes + kPage - 1) / kPage; }

// AllocatePages(AllocateAnyPages, EfiLoaderData) and zero the pages (UEFI 2.10 §7.2). On success
// `*phys` is the page-aligned physical (= identity-mapped) address.
[[nodiscard]] EFI_STATUS allocate_zeroed_pages(uint64_t pages, uint64_t* phys);
void free_pages(uint64_t phys, uint64_t pages);

// Boot-services memory helpers (usable only before ExitBootServices).
void zero_bytes(void* where, uint64_t size);
void copy_bytes(void* to, const void* from, uint64_t size);

// A short English name for an EFI_STATUS ("not found", "device error", ...).
[[nodiscard]] const char* efi_status_string(EFI_STATUS status);

}  // namespace muboot
