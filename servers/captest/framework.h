// The captest framework: test registration, assertions and the per-case result lines.
//
// A test is a function registered with MU_TEST(area, name) in any file of this program. The macro
// places a pointer to the case's descriptor in the linker section `captest_cases`; main
// (framework.cc) walks that section from __start_captest_cases to __stop_captest_cases, so cases
// run in link order (file order in servers/CMakeLists.txt, then source order) and adding a file
// needs no central list. Output, one line per case:
//   ktest: <area>.<name>: PASS
//   ktest: <area>.<name>: FAIL <file>:<line>: <expression> (<values>)
// and finally `ktest: N passed, M failed`; the program exits with 0 iff M == 0.
//
// The assertion macros record the first failure and `return` from the test function, so use them
// only in the test body or in helpers returning void (after which check captest::failed()).
// Everything the support library created for a case is torn down after it (support.h).
#pragma once

#include <stdint.h>

#include "mu/syscall.h"

namespace captest {

struct TestCase {
  const char* area;
  const char* name;
  void (*run)();
};

// Records the failure of the running case (the first one wins) and prints nothing yet.
void fail(const char* file, int line, const char* what, int64_t got, int64_t want);
// Records a failure with a free-form reason.
void fail_message(const char* file, int line, const char* reason);
// True once the running case has failed.
bool failed();

}  // namespace captest

#define CAPTEST_CAT2(a, b) a##b
#define CAPTEST_CAT(a, b) CAPTEST_CAT2(a, b)

#define MU_TEST(area, name)                                                                       \
  static void captest_run_##area##_##name();                                                      \
  static const ::captest::TestCase captest_case_##area##_##name = {#area, #name,                  \
                                                                   &captest_run_##area##_##name}; \
  [[gnu::used,                                                                                    \
    gnu::section(                                                                                 \
        "captest_cases")]] static const ::captest::TestCase* const captest_ptr_##area##_##name =  \
      &captest_case_##area##_##name;                                                              \
  static void captest_run_##area##_##name()

// Compares two integer-like values; on mismatch records both and returns from the test.
#define ASSERT_EQ(got, want)                                                             \
  do {                                                                                   \
    const int64_t captest_got = static_cast<int64_t>(got);                               \
    const int64_t captest_want = static_cast<int64_t>(want);                             \
    if (captest_got != captest_want) {                                                   \
      ::captest::fail(__FILE__, __LINE__, #got " == " #want, captest_got, captest_want); \
      return;                                                                            \
    }                                                                                    \
  } while (0)

#define ASSERT_NE(got, unwanted)                                                            \
  do {                                                                                      \
    const int64_t captest_got = static_cast<int64_t>(got);                                  \
    const int64_t captest_bad = static_cast<int64_t>(unwanted);                             \
    if (captest_got == captest_bad) {                                                       \
      ::captest::fail(__FILE__, __LINE__, #got " != " #unwanted, captest_got, captest_bad); \
      return;                                                                               \
    }                                                                                       \
  } while (0)

#define ASSERT_TRUE(cond)                                              \
  do {                                                                 \
    if (!(cond)) {                                                     \
      ::captest::fail_message(__FILE__, __LINE__, "expected: " #cond); \
      return;                                                          \
    }                                                                  \
  } while (0)

// A call that must succeed (return 0).
#define ASSERT_OK(expr) ASSERT_EQ((expr), 0)
// A call that must fail with mu::Status::<status>.
#define ASSERT_STATUS(expr, status) ASSERT_EQ((expr), ::mu::status_value(::mu::Status::status))
// Returns from the test when a helper it called has already recorded a failure.
#define ASSERT_NO_FAILURE(stmt)      \
  do {                               \
    stmt;                            \
    if (::captest::failed()) return; \
  } while (0)
