// Framebuffer mapping and the banner.
#include "screen.h"

#include "mu/cap_abi.h"
#include "mu/console_font.h"
#include "mu/program.h"
#include "mu_caps.h"
#include "mu_runtime.h"

namespace console {
namespace {

using mu::ObjectType;
using mu::Status;

constexpr uint64_t kPageSize = 4096;
constexpr mu::Rgb kBannerBackground{0x1F, 0x3A, 0x5F};  // the kernel's boot banner colours
constexpr mu::Rgb kBannerText{0xFF, 0xFF, 0xFF};

// A new paging object of `type` mapped to cover `vaddr`; a level that is already there refuses
// it (Busy), and the object is given back.
int64_t add_table(ObjectType type, uint64_t vaddr) {
  const uint64_t slot = mu::user::slot_alloc();
  if (slot == 0) return mu::status_value(Status::NoMemory);
  int64_t r = mu::user::untyped_retype(mu::kProgSlotUntyped, type, 0, mu::kSelfCNode, slot);
  if (r != 0) {
    mu::user::slot_free(slot);
    return r;
  }
  r = mu::user::page_table_map(slot, mu::kProgSlotVSpace, vaddr);
  if (r != 0) mu::user::slot_free(slot);
  return 0;
}

// FrameMap that adds the missing page-table levels first.
int64_t map_frame(uint64_t frame, uint64_t vaddr) {
  const int64_t first = mu::user::frame_map(frame, mu::kProgSlotVSpace, vaddr, mu::kMapWrite);
  if (first != mu::status_value(Status::MissingPageTable)) return first;
  const ObjectType levels[] = {ObjectType::Pdpt, ObjectType::PageDirectory, ObjectType::PageTable};
  for (ObjectType level : levels) {
    const int64_t r = add_table(level, vaddr);
    if (r != 0) return r;
  }
  return mu::user::frame_map(frame, mu::kProgSlotVSpace, vaddr, mu::kMapWrite);
}

}  // namespace

const char* Screen::init(const mu::FramebufferGeometry& fb, uint64_t first_frame, uint64_t count) {
  if (fb.bytes == 0 || count == 0) return "no framebuffer granted";
  if (fb.bits_per_pixel != 32) return "framebuffer is not 32 bits per pixel";
  if (static_cast<uint64_t>(fb.width) * 4 > fb.pitch) return "framebuffer pitch below its width";
  // Scan lines beyond the frames mapped (main.cc may keep the last frames' slots for objects)
  // are not drawn.
  uint64_t height = count * kPageSize / fb.pitch;
  if (height > fb.height) height = fb.height;
  const mu::PsfError font_error =
      mu::PsfFont::parse(mu::console_font_data(), mu::console_font_size(), &font_);
  if (font_error != mu::PsfError::None) return mu::psf_error_string(font_error);
  for (uint64_t i = 0; i < count; ++i) {
    if (map_frame(first_frame + i, mu::kProgramDeviceBase + i * kPageSize) != 0)
      return "cannot map the framebuffer";
  }
  const mu::FramebufferSurface surface{reinterpret_cast<uint8_t*>(mu::kProgramDeviceBase),
                                       fb.width,
                                       static_cast<uint32_t>(height),
                                       fb.pitch,
                                       fb.red_shift,
                                       fb.green_shift,
                                       fb.blue_shift};
  // Banner: one line of text with half a line of padding above and below, then a gap.
  const uint32_t line = font_.height();
  const uint32_t banner_height = line * 2;
  const uint32_t text_top = banner_height + line / 2;
  if (!text_.init(surface, font_, text_top)) return "framebuffer too small";
  // Everything outside the text area once (the kernel's boot screen is still there); the
  // text area is cleared by the first render.
  text_.fill_rect(0, 0, fb.width, banner_height, kBannerBackground);
  text_.fill_rect(0, banner_height, fb.width, text_top - banner_height, mu::Rgb{0, 0, 0});
  const uint32_t text_bottom = text_top + text_.rows() * line;
  text_.fill_rect(0, text_bottom, fb.width, surface.height - text_bottom, mu::Rgb{0, 0, 0});
  char banner[64];
  mu::user::format(banner, sizeof(banner), "muOS console  %ux%u", fb.width, fb.height);
  text_.draw_text(font_.width(), line / 2, banner, kBannerText, kBannerBackground);
  text_.set_cursor_visible(true);
  present_ = true;
  text_.render();
  return nullptr;
}

}  // namespace console
