// Boot banner and framebuffer console registration.
#include "console/boot_screen.h"

#include "arch/interrupts.h"

#include "lib/print.h"
#include "mu/console_font.h"
#include "mu/psf.h"
#include "mu/text_console.h"

namespace kernel {
namespace {

using mu::FramebufferSurface;
using mu::PsfError;
using mu::PsfFont;
using mu::Rgb;

PsfFont g_font;
mu::TextConsole g_console;
// The BootInfo framebuffer (physical; size 0: none) and whether a program owns it now.
uint64_t g_fb_base = 0;
uint64_t g_fb_size = 0;
bool g_handed_over = false;

// Kernel log text: a lighter grey than VGA's, as the boot screen always had.
constexpr Rgb kLogText{0xC0, 0xC0, 0xC0};

constexpr Rgb kBannerBackground{0x1F, 0x3A, 0x5F};
constexpr Rgb kBannerTitle{0xFF, 0xFF, 0xFF};
constexpr Rgb kBannerText{0xC8, 0xDC, 0xF0};

[[nodiscard]] bool channel_shift(uint32_t mask, uint8_t* shift) {
  // Only byte-aligned 8-bit channels are supported (all GOP modes QEMU and PCs use).
  for (uint8_t s = 0; s <= 24; s += 8) {
    if (mask == 0xFFu << s) {
      *shift = s;
      return true;
    }
  }
  return false;
}

// A row at a time with interrupts off, so an interrupt handler's print cannot change the grid
// under a row being drawn, yet interrupts wait for at most one row.
void flush_screen() {
  if (g_handed_over) return;
  for (;;) {
    const irq::InterruptGuard guard;
    if (!g_console.render_next_row()) return;
  }
}

// What the print API calls: the console only while the kernel still owns the screen.
void write_to_screen(void*, const char* data, size_t length) {
  if (!g_handed_over) g_console.write(data, length);
}

}  // namespace

void boot_screen_frame_mapped(uint64_t phys, uint64_t bytes) {
  if (g_handed_over || g_fb_size == 0) return;
  const uint64_t fb_first = g_fb_base & ~uint64_t{4095};  // frame caps start at page boundaries
  const uint64_t fb_end = g_fb_base + g_fb_size;
  if (phys >= fb_end || phys + bytes <= fb_first) return;
  g_handed_over = true;  // first, so the line below reaches serial only
  kprintf("kernel: framebuffer handed to user space\n");
}

bool boot_screen_handed_over() { return g_handed_over; }

const char* boot_screen_init(const mu::BootInfo& info, const char* found) {
  const mu::Framebuffer& fb = info.framebuffer;
  // Known even when the console cannot use it: mapping it still hands it over.
  g_fb_base = fb.base;
  g_fb_size = fb.base != 0 ? fb.size : 0;
  FramebufferSurface surface{};
  switch (fb.format) {
    case mu::PixelFormat::None: return "no framebuffer";
    case mu::PixelFormat::Rgbx8888:
      surface.red_shift = 0, surface.green_shift = 8, surface.blue_shift = 16;
      break;
    case mu::PixelFormat::Bgrx8888:
      surface.red_shift = 16, surface.green_shift = 8, surface.blue_shift = 0;
      break;
    case mu::PixelFormat::Bitmask:
      if (!channel_shift(fb.red_mask, &surface.red_shift) ||
          !channel_shift(fb.green_mask, &surface.green_shift) ||
          !channel_shift(fb.blue_mask, &surface.blue_shift)) {
        return "unsupported pixel bitmask";
      }
      break;
    default: return "unknown pixel format";
  }
  if (fb.bpp != 32) return "framebuffer is not 32 bits per pixel";
  if (fb.base == 0 || static_cast<uint64_t>(fb.pitch) * fb.height > fb.size) {
    return "framebuffer geometry exceeds its size";
  }
  surface.base = reinterpret_cast<uint8_t*>(mu::kHhdmBase + fb.base);
  surface.width = fb.width;
  surface.height = fb.height;
  surface.pitch = fb.pitch;

  const PsfError font_error =
      PsfFont::parse(mu::console_font_data(), mu::console_font_size(), &g_font);
  if (font_error != PsfError::None) return mu::psf_error_string(font_error);

  // Banner: the title at double size, then one line of what the kernel found.
  const uint32_t line = g_font.height();
  const uint32_t banner_height = line * 2 + line + line / 2 * 3;
  if (!g_console.init(surface, g_font, banner_height + line / 2)) return "framebuffer too small";
  g_console.set_palette(static_cast<uint8_t>(mu::VgaColor::LightGrey), kLogText);
  // The text area itself is cleared by the console's first (deferred) render; here only the
  // banner, the gap below it and the strip under the last text row.
  const uint32_t text_top = banner_height + line / 2;
  const uint32_t text_bottom = text_top + g_console.rows() * line;
  g_console.fill_rect(0, 0, surface.width, banner_height, kBannerBackground);
  g_console.fill_rect(0, banner_height, surface.width, text_top - banner_height, Rgb{0, 0, 0});
  g_console.fill_rect(0, text_bottom, surface.width, surface.height - text_bottom, Rgb{0, 0, 0});
  char title[64];
  format_buffer(title, sizeof(title), "muOS %s", MU_VERSION_STRING);
  g_console.draw_text(g_font.width(), line / 2, title, kBannerTitle, kBannerBackground, 2);
  g_console.draw_text(g_font.width(), line / 2 + line * 2 + line / 2, found, kBannerText,
                      kBannerBackground, 1);
  if (!console_register(OutputSink{write_to_screen, nullptr}, flush_screen))
    return "too many consoles";
  return nullptr;
}

}  // namespace kernel
