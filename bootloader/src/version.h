// muboot's version string (the build passes the project version as MUBOOT_VERSION).
#pragma once

#ifndef MUBOOT_VERSION
#define MUBOOT_VERSION "0.0.0-unknown"
#endif

namespace muboot {
inline constexpr char kLoaderName[] = "muboot";
inline constexpr char kLoaderVersion[] = MUBOOT_VERSION;
}  // namespace muboot
