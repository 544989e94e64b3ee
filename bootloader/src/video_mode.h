// Portable choice of the GOP video mode from the firmware's mode list and the config (host-tested).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "config.h"

namespace muboot {

inline constexpr uint32_t kDefaultMaxWidth = 1920;
inline constexpr uint32_t kDefaultMaxHeight = 1080;

struct VideoModeInfo {
  uint32_t mode;  // GOP mode number
  uint32_t width;
  uint32_t height;
  bool linear;  // has a linear framebuffer (not PixelBltOnly)
};

struct VideoChoice {
  bool found = false;  // false: no mode with a linear framebuffer fits the request
  uint32_t mode = 0;
  bool requested_missing = false;  // VideoRequest::Size asked for a mode that does not exist
};

// Picks a mode per docs/muboot.md "video": only modes with a linear framebuffer qualify.
[[nodiscard]] VideoChoice choose_video_mode(const VideoModeInfo* modes, size_t count,
                                            uint32_t current_mode, const VideoSetting& setting);

}  // namespace muboot
