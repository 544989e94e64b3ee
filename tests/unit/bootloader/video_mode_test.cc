// Host tests for muboot's GOP mode choice (bootloader/src/video_mode.cc).
#include "video_mode.h"

#include <gtest/gtest.h>

#include <vector>

namespace muboot {
namespace {

const std::vector<VideoModeInfo> kModes = {
    {0, 640, 480, true},   {1, 800, 600, true},   {2, 1024, 768, true},
    {3, 1920, 1080, true}, {4, 2560, 1440, true}, {5, 1280, 720, false},
};

VideoChoice choose(uint32_t current, VideoSetting setting,
                   const std::vector<VideoModeInfo>& modes = kModes) {
  return choose_video_mode(modes.data(), modes.size(), current, setting);
}

TEST(VideoModeTest, DefaultKeepsACurrentModeThatFits) {
  const VideoChoice c = choose(1, VideoSetting{});
  EXPECT_TRUE(c.found);
  EXPECT_EQ(c.mode, 1u);
}

TEST(VideoModeTest, DefaultShrinksAnOversizedCurrentMode) {
  const VideoChoice c = choose(4, VideoSetting{});
  EXPECT_TRUE(c.found);
  EXPECT_EQ(c.mode, 3u);  // 1920x1080 is the largest that fits
}

TEST(VideoModeTest, DefaultSkipsBltOnlyModes) {
  const VideoChoice c = choose(5, VideoSetting{});
  EXPECT_TRUE(c.found);
  EXPECT_EQ(c.mode, 3u);
}

TEST(VideoModeTest, DefaultWithOnlyLargeModesKeepsCurrent) {
  const std::vector<VideoModeInfo> modes = {{0, 3840, 2160, true}, {1, 2560, 1600, true}};
  const VideoChoice c = choose(1, VideoSetting{}, modes);
  EXPECT_TRUE(c.found);
  EXPECT_EQ(c.mode, 1u);
}

TEST(VideoModeTest, DefaultWithUnknownCurrentMode) {
  const VideoChoice c = choose(99, VideoSetting{});
  EXPECT_TRUE(c.found);
  EXPECT_EQ(c.mode, 3u);
}

TEST(VideoModeTest, KeepNeverChanges) {
  VideoSetting keep{VideoRequest::Keep, 0, 0};
  EXPECT_EQ(choose(4, keep).mode, 4u);
  EXPECT_FALSE(choose(5, keep).found);  // blt-only: no framebuffer
}

TEST(VideoModeTest, ExactSize) {
  const VideoChoice c = choose(0, VideoSetting{VideoRequest::Size, 1024, 768});
  EXPECT_TRUE(c.found);
  EXPECT_FALSE(c.requested_missing);
  EXPECT_EQ(c.mode, 2u);
}

TEST(VideoModeTest, MissingSizeFallsBackToDefault) {
  const VideoChoice c = choose(4, VideoSetting{VideoRequest::Size, 1280, 720});  // blt-only
  EXPECT_TRUE(c.found);
  EXPECT_TRUE(c.requested_missing);
  EXPECT_EQ(c.mode, 3u);
}

TEST(VideoModeTest, NoModesAtAll) {
  EXPECT_FALSE(choose_video_mode(nullptr, 0, 0, VideoSetting{}).found);
}

}  // namespace
}  // namespace muboot
