// Names the shell prints (servers/shell/names.h).
#include "names.h"

#include <gtest/gtest.h>

#include "mu/cap_abi.h"
#include "mu/proto/console.h"
#include "mu/proto/init.h"

namespace {

TEST(ShellNames, ObjectTypes) {
  EXPECT_STREQ(shell::object_type_name(static_cast<uint64_t>(mu::ObjectType::Endpoint)), "Endpoint");
  EXPECT_STREQ(shell::object_type_name(static_cast<uint64_t>(mu::ObjectType::IoPort)), "IoPort");
  EXPECT_STREQ(shell::object_type_name(static_cast<uint64_t>(mu::ObjectType::Frame4K)), "Frame4K");
  EXPECT_EQ(shell::object_type_name(mu::kObjectTypeCount), nullptr);
  EXPECT_EQ(shell::object_type_name(~0ULL), nullptr);
}

TEST(ShellNames, Rights) {
  char out[5];
  shell::rights_letters(mu::kRightsAll, out);
  EXPECT_STREQ(out, "rwgR");
  shell::rights_letters(mu::kRightRead, out);
  EXPECT_STREQ(out, "r---");
  shell::rights_letters(mu::kRightWrite | mu::kRightGrantReply, out);
  EXPECT_STREQ(out, "-w-R");
  shell::rights_letters(0, out);
  EXPECT_STREQ(out, "----");
}

TEST(ShellNames, StatesExceptionsStatuses) {
  using mu::proto::init::ProcState;
  EXPECT_STREQ(shell::proc_state_name(static_cast<uint64_t>(ProcState::Running)), "running");
  EXPECT_STREQ(shell::proc_state_name(static_cast<uint64_t>(ProcState::Failed)), "failed");
  EXPECT_STREQ(shell::proc_state_name(99), "?");
  EXPECT_STREQ(shell::exception_name(14), "#PF");
  EXPECT_STREQ(shell::exception_name(13), "#GP");
  EXPECT_STREQ(shell::exception_name(6), "#UD");
  EXPECT_EQ(shell::exception_name(9), nullptr);
  EXPECT_EQ(shell::exception_name(200), nullptr);
  EXPECT_STREQ(shell::status_text(mu::status_value(mu::Status::NotFound)), "not found");
  EXPECT_STREQ(shell::status_text(mu::proto::console::kInterrupted), "interrupted");
  EXPECT_STREQ(shell::status_text(-999), "unknown status");
}

}  // namespace
