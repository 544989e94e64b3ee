// captest's main: runs every registered case (framework.h) in link order, optionally only those
// whose "<area>.<name>" starts with the `ktest=<prefix>` word of the kernel command line, prints
// one line per case and the totals, and exits with 0 iff no case failed.
#include "framework.h"

#include "mu_user.h"
#include "support.h"

using namespace mu::user;

extern "C" const captest::TestCase* const __start_captest_cases[];
extern "C" const captest::TestCase* const __stop_captest_cases[];

namespace captest {
namespace {

struct Failure {
  bool failed;
  char reason[200];
};
Failure g_failure;

// Appends `s` to the reason buffer at *n (always NUL-terminated, silently truncated).
void append(char* out, size_t size, size_t* n, const char* s) {
  while (*s != '\0' && *n + 1 < size) out[(*n)++] = *s++;
  out[*n] = '\0';
}

void append_int(char* out, size_t size, size_t* n, int64_t value) {
  char digits[24];
  size_t d = 0;
  uint64_t v = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  do {
    digits[d++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  if (value < 0) append(out, size, n, "-");
  char text[2] = {0, 0};
  while (d > 0) {
    text[0] = digits[--d];
    append(out, size, n, text);
  }
}

// The file name without its directories (keeps result lines short).
const char* base_name(const char* path) {
  const char* base = path;
  for (const char* p = path; *p != '\0'; ++p) {
    if (*p == '/') base = p + 1;
  }
  return base;
}

void begin_reason(const char* file, int line, size_t* n) {
  g_failure.failed = true;
  *n = 0;
  append(g_failure.reason, sizeof(g_failure.reason), n, base_name(file));
  append(g_failure.reason, sizeof(g_failure.reason), n, ":");
  append_int(g_failure.reason, sizeof(g_failure.reason), n, line);
  append(g_failure.reason, sizeof(g_failure.reason), n, ": ");
}

// The value of `key` (e.g. "ktest=") on the command line, or nullptr.
const char* find_word(const StartInfo* info, const char* key, size_t* len) {
  const char* line = info->cmdline;
  const size_t n = line == nullptr ? 0 : info->cmdline_length;
  const size_t key_len = string_length(key);
  size_t i = 0;
  while (i < n) {
    while (i < n && line[i] == ' ') ++i;
    size_t end = i;
    while (end < n && line[end] != ' ' && line[end] != '\0') ++end;
    if (end - i >= key_len && starts_with(line + i, end - i, key)) {
      *len = end - i - key_len;
      return line + i + key_len;
    }
    i = end + 1;
  }
  return nullptr;
}

// Does "<area>.<name>" start with the filter prefix?
bool selected(const TestCase& c, const char* prefix, size_t prefix_len) {
  if (prefix == nullptr) return true;
  char full[96];
  size_t n = 0;
  append(full, sizeof(full), &n, c.area);
  append(full, sizeof(full), &n, ".");
  append(full, sizeof(full), &n, c.name);
  for (size_t i = 0; i < prefix_len; ++i) {
    if (i >= n || full[i] != prefix[i]) return false;
  }
  return true;
}

}  // namespace

void fail(const char* file, int line, const char* what, int64_t got, int64_t want) {
  if (g_failure.failed) return;
  size_t n = 0;
  begin_reason(file, line, &n);
  append(g_failure.reason, sizeof(g_failure.reason), &n, what);
  append(g_failure.reason, sizeof(g_failure.reason), &n, " (got ");
  append_int(g_failure.reason, sizeof(g_failure.reason), &n, got);
  append(g_failure.reason, sizeof(g_failure.reason), &n, ", want ");
  append_int(g_failure.reason, sizeof(g_failure.reason), &n, want);
  append(g_failure.reason, sizeof(g_failure.reason), &n, ")");
}

void fail_message(const char* file, int line, const char* reason) {
  if (g_failure.failed) return;
  size_t n = 0;
  begin_reason(file, line, &n);
  append(g_failure.reason, sizeof(g_failure.reason), &n, reason);
}

bool failed() { return g_failure.failed; }

}  // namespace captest

extern "C" int64_t mu_main(const StartInfo* info) {
  size_t filter_len = 0;
  const char* filter = captest::find_word(info, "ktest=", &filter_len);
  const char* setup_error = captest::support_init(info);
  if (setup_error != nullptr) {
    print("ktest: setup: FAIL %s\n", setup_error);
    print("ktest: 0 passed, 1 failed\n");
    return 1;
  }
  int64_t passed = 0, failed = 0;
  for (const captest::TestCase* const* p = __start_captest_cases; p < __stop_captest_cases; ++p) {
    const captest::TestCase& c = **p;
    if (!captest::selected(c, filter, filter_len)) continue;
    captest::g_failure.failed = false;
    captest::g_failure.reason[0] = '\0';
    c.run();
    // Tear down what the case made; a leak (memory not back in the untyped) fails the case.
    const char* leak = captest::support_end_test();
    if (!captest::g_failure.failed && leak != nullptr) {
      captest::fail_message("support", 0, leak);
    }
    if (captest::g_failure.failed) {
      ++failed;
      print("ktest: %s.%s: FAIL %s\n", c.area, c.name, captest::g_failure.reason);
    } else {
      ++passed;
      print("ktest: %s.%s: PASS\n", c.area, c.name);
    }
  }
  print("ktest: %ld passed, %ld failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
