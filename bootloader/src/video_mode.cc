// Portable choice of the GOP video mode from the firmware's mode list and the config.
#include "video_mode.h"

namespace muboot {
namespace {

const VideoModeInfo* find_mode(const VideoModeInfo* modes, size_t count, uint32_t mode) {
  for (size_t i = 0; i < count; ++i) {
    if (modes[i].mode == mode) return &modes[i];
  }
  return nullptr;
}

bool fits_default(const VideoModeInfo& m) {
  return m.width <= kDefaultMaxWidth && m.height <= kDefaultMaxHeight;
}

uint64_t area(const VideoModeInfo& m) { return static_cast<uint64_t>(m.width) * m.height; }

// Keep the current mode if it fits 1920x1080; else the largest mode that fits; else (a screen
// whose every mode is larger) keep the current mode rather than fail.
VideoChoice choose_default(const VideoModeInfo* modes, size_t count, uint32_t current_mode) {
  VideoChoice choice;
  const VideoModeInfo* current = find_mode(modes, count, current_mode);
  if (current != nullptr && current->linear && fits_default(*current)) {
    choice.found = true;
    choice.mode = current_mode;
    return choice;
  }
  const VideoModeInfo* best = nullptr;
  for (size_t i = 0; i < count; ++i) {
    const VideoModeInfo& m = modes[i];
    if (!m.linear || !fits_default(m)) continue;
    if (best == nullptr || area(m) > area(*best) ||
        (area(m) == area(*best) && m.width > best->width)) {
      best = &m;
    }
  }
  if (best == nullptr && current != nullptr && current->linear) best = current;
  if (best != nullptr) {
    choice.found = true;
    choice.mode = best->mode;
  }
  return choice;
}

}  // namespace

VideoChoice choose_video_mode(const VideoModeInfo* modes, size_t count, uint32_t current_mode,
                              const VideoSetting& setting) {
  switch (setting.request) {
    case VideoRequest::Keep: {
      VideoChoice choice;
      const VideoModeInfo* current = find_mode(modes, count, current_mode);
      if (current != nullptr && current->linear) {
        choice.found = true;
        choice.mode = current_mode;
      }
      return choice;
    }
    case VideoRequest::Size:
      for (size_t i = 0; i < count; ++i) {
        if (modes[i].linear && modes[i].width == setting.width &&
            modes[i].height == setting.height) {
          VideoChoice choice;
          choice.found = true;
          choice.mode = modes[i].mode;
          return choice;
        }
      }
      {
        VideoChoice choice = choose_default(modes, count, current_mode);
        choice.requested_missing = true;
        return choice;
      }
    case VideoRequest::Default: break;
  }
  return choose_default(modes, count, current_mode);
}

}  // namespace muboot
