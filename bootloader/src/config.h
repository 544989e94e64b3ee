// Portable parser for \boot\muboot.cfg (no EFI types; host-tested). Format: docs/muboot.md.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "mu/bootinfo.h"

namespace muboot {

inline constexpr size_t kConfigPathMax = 128;                 // bytes including the NUL
inline constexpr size_t kConfigCmdlineMax = mu::kCmdlineMax;  // 255 characters + NUL
inline constexpr size_t kConfigMaxWarnings = 16;
inline constexpr uint32_t kConfigVideoMaxDimension = 16384;

inline constexpr char kDefaultKernelPath[] = "\\boot\\kernel.elf";
inline constexpr char kDefaultInitrdPath[] = "\\boot\\initrd.cpio";

enum class VideoRequest : uint32_t {
  Default,  // keep the current mode if it fits 1920x1080, else the largest mode that does
  Keep,     // never change the firmware's mode
  Size,     // exactly width x height (falls back to Default when the mode does not exist)
};

struct VideoSetting {
  VideoRequest request = VideoRequest::Default;
  uint32_t width = 0;
  uint32_t height = 0;
};

struct Config {
  char kernel[kConfigPathMax];  // UEFI path with '\' separators, starting with '\'
  char initrd[kConfigPathMax];
  char cmdline[kConfigCmdlineMax];
  VideoSetting video;
};

enum class ConfigWarningKind : uint32_t {
  UnknownKey,
  Malformed,  // no '=', empty or invalid key
  ValueTooLong,
  BadValue,      // e.g. a path not starting with '\' or a video value that is not WxH/keep
  BadCharacter,  // control or non-ASCII byte in the value
  DuplicateKey,  // the later line wins
};

struct ConfigWarning {
  uint32_t line;  // 1-based
  ConfigWarningKind kind;
  char key[16];  // the key as written (cut to 15 characters), empty when there is none
};

struct ConfigParseResult {
  Config config;
  ConfigWarning warnings[kConfigMaxWarnings];
  size_t warning_count;
  size_t warnings_dropped;  // warnings beyond kConfigMaxWarnings, counted but not stored
};

[[nodiscard]] const char* config_warning_string(ConfigWarningKind kind);

// Fills `config` with the built-in defaults (used for every key the file does not set validly).
void config_set_defaults(Config* config);

// Parses `text[0..size)` (ASCII/UTF-8, LF or CRLF line ends, optional UTF-8 BOM). Never fails:
// problems become warnings and the offending line is ignored, so the key keeps its default (or
// the value an earlier valid line gave it).
void parse_config(const char* text, size_t size, ConfigParseResult* out);

}  // namespace muboot
