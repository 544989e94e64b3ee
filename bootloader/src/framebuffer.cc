// Choosing and describing the GOP video mode.
#include "framebuffer.h"

#include "console.h"
#include "uefi.h"
#include "video_mode.h"

namespace muboot {
namespace {

constexpr size_t kMaxModes = 128;  // modes past this are ignored (OVMF offers about 30)

uint32_t highest_bit(uint32_t mask) {
  uint32_t bit = 0;
  while (mask != 0) {
    ++bit;
    mask >>= 1;
  }
  return bit;
}

// UEFI 2.10 §12.9.1 EFI_GRAPHICS_PIXEL_FORMAT to the BootInfo format.
bool describe_mode(const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION& info, mu::Framebuffer* out) {
  switch (info.PixelFormat) {
    case PixelRedGreenBlueReserved8BitPerColor:
      out->format = mu::PixelFormat::Rgbx8888;
      out->red_mask = 0x000000FF;
      out->green_mask = 0x0000FF00;
      out->blue_mask = 0x00FF0000;
      out->bpp = 32;
      return true;
    case PixelBlueGreenRedReserved8BitPerColor:
      out->format = mu::PixelFormat::Bgrx8888;
      out->red_mask = 0x00FF0000;
      out->green_mask = 0x0000FF00;
      out->blue_mask = 0x000000FF;
      out->bpp = 32;
      return true;
    case PixelBitMask: {
      const EFI_PIXEL_BITMASK& m = info.PixelInformation;
      out->format = mu::PixelFormat::Bitmask;
      out->red_mask = m.RedMask;
      out->green_mask = m.GreenMask;
      out->blue_mask = m.BlueMask;
      const uint32_t bits = highest_bit(m.RedMask | m.GreenMask | m.BlueMask | m.ReservedMask);
      out->bpp = bits <= 8 ? 8 : bits <= 16 ? 16 : bits <= 24 ? 24 : 32;
      return true;
    }
    default: return false;  // PixelBltOnly: no linear framebuffer
  }
}

bool is_linear(EFI_GRAPHICS_PIXEL_FORMAT format) {
  return format == PixelRedGreenBlueReserved8BitPerColor ||
         format == PixelBlueGreenRedReserved8BitPerColor || format == PixelBitMask;
}

}  // namespace

void setup_framebuffer(const VideoSetting& setting, mu::Framebuffer* out) {
  *out = mu::Framebuffer{};
  EFI_BOOT_SERVICES* bs = ST->BootServices;
  EFI_GRAPHICS_OUTPUT_PROTOCOL* gop = nullptr;
  EFI_STATUS status =
      bs->LocateProtocol(guid_arg(kGraphicsOutputGuid), nullptr, reinterpret_cast<void**>(&gop));
  if (EFI_ERROR(status) || gop == nullptr || gop->Mode == nullptr) {
    warn("no graphics output protocol: the kernel gets no framebuffer");
    return;
  }

  VideoModeInfo modes[kMaxModes];
  size_t count = 0;
  for (uint32_t mode = 0; mode < gop->Mode->MaxMode && count < kMaxModes; ++mode) {
    EFI_GRAPHICS_OUTPUT_MODE_INFORMATION* info = nullptr;
    UINTN info_size = 0;
    if (EFI_ERROR(gop->QueryMode(gop, mode, &info_size, &info)) || info == nullptr) continue;
    modes[count++] = VideoModeInfo{mode, info->HorizontalResolution, info->VerticalResolution,
                                   is_linear(info->PixelFormat)};
    (void)bs->FreePool(info);
  }

  // A firmware that never started its display reports a current mode past MaxMode.
  const VideoChoice choice = choose_video_mode(modes, count, gop->Mode->Mode, setting);
  if (choice.requested_missing) {
    LineBuffer line;
    line.str("warning: video ")
        .dec(setting.width)
        .chr('x')
        .dec(setting.height)
        .str(" is not offered by the firmware, using the default choice");
    print(line);
  }
  if (!choice.found) {
    warn("no video mode with a linear framebuffer: the kernel gets no framebuffer");
    return;
  }
  if (choice.mode != gop->Mode->Mode || gop->Mode->Mode >= gop->Mode->MaxMode) {
    status = gop->SetMode(gop, choice.mode);
    if (EFI_ERROR(status)) {
      LineBuffer line;
      line.str("warning: cannot set video mode ")
          .dec(choice.mode)
          .str(" (")
          .str(efi_status_string(status))
          .str("), keeping the current mode");
      print(line);
    }
  }

  const EFI_GRAPHICS_OUTPUT_MODE_INFORMATION* info = gop->Mode->Info;
  if (info == nullptr || !describe_mode(*info, out)) {
    *out = mu::Framebuffer{};
    warn("the video mode has no linear framebuffer: the kernel gets no framebuffer");
    return;
  }
  out->base = gop->Mode->FrameBufferBase;
  out->size = gop->Mode->FrameBufferSize;
  out->width = info->HorizontalResolution;
  out->height = info->VerticalResolution;
  out->pitch = info->PixelsPerScanLine * (out->bpp / 8);
  if (out->base == 0 || out->size < static_cast<uint64_t>(out->pitch) * out->height) {
    *out = mu::Framebuffer{};
    warn("the firmware reports an unusable framebuffer: the kernel gets no framebuffer");
    return;
  }

  LineBuffer line;
  line.str("video ").dec(out->width).chr('x').dec(out->height);
  print(line);
}

}  // namespace muboot
