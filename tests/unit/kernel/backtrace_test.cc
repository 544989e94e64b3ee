// Host tests of symbol lookup and the bounded frame-pointer walker over fake stacks.
#include "debug/backtrace.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace {

using kernel::AddressRange;
using kernel::KernelSymbol;
using kernel::KernelSymbolTable;
using kernel::SymbolMatch;
using kernel::SymbolTable;

const char kNames[] = "alpha\0beta\0gamma";
const KernelSymbol kSymbols[] = {{0x1000, 0, 0}, {0x1040, 6, 0}, {0x1100, 11, 0}};
const KernelSymbolTable kTable{3, sizeof(kNames), kSymbols, kNames};

TEST(Symbols, LookupFindsContainingFunction) {
  const SymbolTable table(kTable, 0x1200);
  SymbolMatch match{};
  ASSERT_TRUE(table.lookup(0x1000, &match));
  EXPECT_STREQ(match.name, "alpha");
  EXPECT_EQ(match.offset, 0u);
  ASSERT_TRUE(table.lookup(0x103f, &match));
  EXPECT_STREQ(match.name, "alpha");
  EXPECT_EQ(match.offset, 0x3fu);
  ASSERT_TRUE(table.lookup(0x1040, &match));
  EXPECT_STREQ(match.name, "beta");
  ASSERT_TRUE(table.lookup(0x11ff, &match));
  EXPECT_STREQ(match.name, "gamma");
  EXPECT_EQ(match.offset, 0xffu);
}

TEST(Symbols, LookupRejectsOutsideAddresses) {
  const SymbolTable table(kTable, 0x1200);
  SymbolMatch match{};
  EXPECT_FALSE(table.lookup(0xfff, &match));
  EXPECT_FALSE(table.lookup(0x1200, &match));
  EXPECT_FALSE(table.lookup(~0ULL, &match));
  const SymbolTable empty(KernelSymbolTable{0, 1, kSymbols, kNames}, 0x1200);
  EXPECT_FALSE(empty.lookup(0x1000, &match));
}

TEST(Symbols, CorruptNameOffsetIsNotFollowed) {
  const KernelSymbol bad[] = {{0x1000, 999, 0}};
  const SymbolTable table(KernelSymbolTable{1, sizeof(kNames), bad, kNames}, 0x2000);
  SymbolMatch match{};
  EXPECT_FALSE(table.lookup(0x1000, &match));
}

// A fake stack: frames are [saved rbp, return address] pairs at increasing addresses.
struct FakeStack {
  alignas(16) uint64_t words[64] = {};
  uint64_t at(size_t index) const { return reinterpret_cast<uint64_t>(&words[index]); }
  AddressRange range() const { return {at(0), at(64)}; }
};

constexpr AddressRange kCode{0x1000, 0x1200};

TEST(Backtrace, WalksChainUntilNull) {
  FakeStack stack;
  stack.words[4] = stack.at(10);  // frame 0 -> frame 1
  stack.words[5] = 0x1010;
  stack.words[10] = stack.at(20);
  stack.words[11] = 0x1050;
  stack.words[20] = 0;  // outermost frame
  stack.words[21] = 0x1110;
  uint64_t out[8];
  const size_t n = kernel::walk_frame_pointers(stack.at(4), stack.range(), kCode, out, 8);
  ASSERT_EQ(n, 3u);
  EXPECT_EQ(out[0], 0x1010u);
  EXPECT_EQ(out[1], 0x1050u);
  EXPECT_EQ(out[2], 0x1110u);
}

TEST(Backtrace, StopsAtBadFrames) {
  FakeStack stack;
  uint64_t out[8];
  // Null, misaligned and out-of-range frame pointers.
  EXPECT_EQ(kernel::walk_frame_pointers(0, stack.range(), kCode, out, 8), 0u);
  EXPECT_EQ(kernel::walk_frame_pointers(stack.at(4) + 3, stack.range(), kCode, out, 8), 0u);
  EXPECT_EQ(kernel::walk_frame_pointers(stack.at(63), stack.range(), kCode, out, 8),
            0u);  // [rbp+8] outside
  // A return address outside the code range ends the walk.
  stack.words[4] = stack.at(10);
  stack.words[5] = 0x5000;
  EXPECT_EQ(kernel::walk_frame_pointers(stack.at(4), stack.range(), kCode, out, 8), 0u);
  // A chain pointing downwards (a loop) ends after the current frame.
  stack.words[5] = 0x1010;
  stack.words[4] = stack.at(4);
  EXPECT_EQ(kernel::walk_frame_pointers(stack.at(4), stack.range(), kCode, out, 8), 1u);
  // A chain leaving the stack ends.
  stack.words[4] = 0xdead0000;
  EXPECT_EQ(kernel::walk_frame_pointers(stack.at(4), stack.range(), kCode, out, 8), 1u);
}

TEST(Backtrace, RespectsMaximum) {
  FakeStack stack;
  for (size_t i = 0; i < 30; ++i) {
    stack.words[2 * i] = stack.at(2 * i + 2);
    stack.words[2 * i + 1] = 0x1000 + i;
  }
  uint64_t out[32];
  EXPECT_EQ(kernel::walk_frame_pointers(stack.at(0), stack.range(), kCode, out, 5), 5u);
  EXPECT_EQ(kernel::walk_frame_pointers(stack.at(0), stack.range(), kCode, out, 32), 30u);
}

TEST(Backtrace, PrintsSymbolizedFrames) {
  std::string text;
  kernel::OutputSink sink{[](void* context, const char* data, size_t length) {
                            static_cast<std::string*>(context)->append(data, length);
                          },
                          &text};
  const SymbolTable table(kTable, 0x1200);
  kernel::print_frame(sink, 0, 0x1044, false, table);
  // A return address just past the end of alpha belongs to alpha (looked up at address-1).
  kernel::print_frame(sink, 1, 0x1040, true, table);
  kernel::print_frame(sink, 2, 0x9999, true, table);
  EXPECT_EQ(text,
            "  #0 0x0000000000001044 beta+0x4\n"
            "  #1 0x0000000000001040 alpha+0x40\n"
            "  #2 0x0000000000009999 ?\n");
}

}  // namespace
