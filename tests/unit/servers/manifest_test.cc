// init's manifest parser (servers/init/manifest.cc): good lines, every key, every error with
// its line number, and dependency ordering.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "manifest.h"
#include "mu/cap_abi.h"

using namespace init;

namespace {

struct Error {
  unsigned line;
  std::string message;
};

struct Parsed {
  std::vector<ServiceSpec> specs;
  std::vector<Error> errors;
};

void collect(const ManifestError& e, void* context) {
  static_cast<std::vector<Error>*>(context)->push_back(Error{e.line, e.message});
}

Parsed parse(const std::string& text, size_t max = kMaxServices) {
  Parsed p;
  p.specs.resize(kMaxServices + 4);
  const size_t n = parse_manifest(text.data(), text.size(), p.specs.data(), max, collect, &p.errors);
  p.specs.resize(n);
  return p;
}

// The one error a single bad line gives.
Error only_error(const std::string& text) {
  const Parsed p = parse(text);
  EXPECT_TRUE(p.specs.empty()) << text;
  EXPECT_EQ(p.errors.size(), 1u) << text;
  return p.errors.empty() ? Error{0, ""} : p.errors[0];
}

TEST(Manifest, Defaults) {
  const Parsed p = parse("service hello program=/bin/hello\n");
  ASSERT_TRUE(p.errors.empty());
  ASSERT_EQ(p.specs.size(), 1u);
  const ServiceSpec& s = p.specs[0];
  EXPECT_STREQ(s.name, "hello");
  EXPECT_STREQ(s.program, "/bin/hello");
  EXPECT_STREQ(s.args, "");
  EXPECT_EQ(s.priority, 100);
  EXPECT_EQ(s.restart, RestartPolicy::OnFailure);
  EXPECT_EQ(s.max_restarts, 5u);
  EXPECT_EQ(s.backoff_ms, 100u);
  EXPECT_EQ(s.memory_kib, 512u);
  EXPECT_EQ(s.heap_kib, 256u);
  EXPECT_EQ(s.port_count, 0u);
  EXPECT_EQ(s.irq_count, 0u);
  EXPECT_FALSE(s.framebuffer);
  EXPECT_FALSE(s.admin);
  EXPECT_EQ(s.use_count, 0u);
  EXPECT_EQ(s.provide_count, 0u);
  EXPECT_EQ(s.line, 1u);
}

TEST(Manifest, EveryKey) {
  const Parsed p = parse(
      "# the console and a shell\n"
      "\n"
      "service console program=/sbin/console priority=40 restart=always memory=1024 heap=0x100 "
      "ioport=com1:0x3f8-0x3ff irq=4 ioport=kbd:0x60-0x60 ioport=0x64 irq=1 framebuffer "
      "provides=console max_restarts=3 backoff=250\n"
      "  service shell program=/sbin/shell restart=never uses=console admin args=\"-v  x\" "
      "uses=other:rwgc provides=shell provides=sh # trailing comment\r\n"
      "service other program=/bin/o uses=console:w provides=other\n");
  ASSERT_TRUE(p.errors.empty()) << p.errors[0].line << ": " << p.errors[0].message;
  ASSERT_EQ(p.specs.size(), 3u);
  const ServiceSpec& c = p.specs[0];
  EXPECT_STREQ(c.name, "console");
  EXPECT_EQ(c.line, 3u);
  EXPECT_EQ(c.priority, 40);
  EXPECT_EQ(c.restart, RestartPolicy::Always);
  EXPECT_EQ(c.memory_kib, 1024u);
  EXPECT_EQ(c.heap_kib, 256u);
  EXPECT_EQ(c.max_restarts, 3u);
  EXPECT_EQ(c.backoff_ms, 250u);
  ASSERT_EQ(c.port_count, 3u);
  EXPECT_STREQ(c.ports[0].name, "com1");
  EXPECT_EQ(c.ports[0].first, 0x3f8);
  EXPECT_EQ(c.ports[0].last, 0x3ff);
  EXPECT_STREQ(c.ports[1].name, "kbd");
  EXPECT_EQ(c.ports[1].first, 0x60);
  EXPECT_EQ(c.ports[1].last, 0x60);
  EXPECT_STREQ(c.ports[2].name, "");
  EXPECT_EQ(c.ports[2].first, 0x64);
  EXPECT_EQ(c.ports[2].last, 0x64);
  ASSERT_EQ(c.irq_count, 2u);
  EXPECT_EQ(c.irqs[0], 4);
  EXPECT_EQ(c.irqs[1], 1);
  EXPECT_TRUE(c.framebuffer);
  EXPECT_FALSE(c.admin);
  ASSERT_EQ(c.provide_count, 1u);
  EXPECT_STREQ(c.provides[0], "console");

  const ServiceSpec& s = p.specs[1];
  EXPECT_STREQ(s.name, "shell");
  EXPECT_EQ(s.line, 4u);
  EXPECT_EQ(s.restart, RestartPolicy::Never);
  EXPECT_TRUE(s.admin);
  EXPECT_STREQ(s.args, "-v  x");
  ASSERT_EQ(s.use_count, 2u);
  EXPECT_STREQ(s.uses[0].name, "console");
  EXPECT_EQ(s.uses[0].rights, mu::kRightWrite | mu::kRightGrantReply);
  EXPECT_STREQ(s.uses[1].name, "other");
  EXPECT_EQ(s.uses[1].rights, mu::kRightsAll);
  ASSERT_EQ(s.provide_count, 2u);
  EXPECT_STREQ(s.provides[1], "sh");

  EXPECT_EQ(p.specs[2].uses[0].rights, mu::kRightWrite);
  EXPECT_EQ(p.specs[2].line, 5u);
}

TEST(Manifest, CommaListsAndAliases) {
  const Parsed p = parse(
      "service console program=/sbin/console ports=com1:0x3f8-0x3ff,kbd_data:0x60,kbd_cmd:0x64 "
      "irqs=4,1 uses=a,b:r provides=x,y backoff_ms=10\n");
  ASSERT_TRUE(p.errors.empty()) << p.errors[0].message;
  ASSERT_EQ(p.specs.size(), 1u);
  const ServiceSpec& s = p.specs[0];
  ASSERT_EQ(s.port_count, 3u);
  EXPECT_STREQ(s.ports[1].name, "kbd_data");
  EXPECT_EQ(s.ports[2].first, 0x64);
  ASSERT_EQ(s.irq_count, 2u);
  EXPECT_EQ(s.irqs[1], 1);
  ASSERT_EQ(s.use_count, 2u);
  EXPECT_EQ(s.uses[1].rights, mu::kRightRead);
  ASSERT_EQ(s.provide_count, 2u);
  EXPECT_EQ(s.backoff_ms, 10u);
}

TEST(Manifest, ShippedServicesFileParses) {
  // The default /etc/services (initrd/etc/services) must parse without errors.
  FILE* f = fopen(MU_SOURCE_ROOT "/initrd/etc/services", "r");
  ASSERT_NE(f, nullptr);
  std::string text;
  char buf[512];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0) text.append(buf, n);
  fclose(f);
  const Parsed p = parse(text);
  EXPECT_TRUE(p.errors.empty()) << p.errors[0].line << ": " << p.errors[0].message;
  EXPECT_FALSE(p.specs.empty());
}

TEST(Manifest, HeapZeroAndNoTrailingNewline) {
  const Parsed p = parse("service a program=/a heap=0 restart=on-failure");
  ASSERT_TRUE(p.errors.empty());
  ASSERT_EQ(p.specs.size(), 1u);
  EXPECT_EQ(p.specs[0].heap_kib, 0u);
}

TEST(Manifest, EmptyTextHasNoServices) {
  EXPECT_TRUE(parse("").specs.empty());
  EXPECT_TRUE(parse("\n\n# nothing\n   \n").errors.empty());
}

struct BadLine {
  const char* line;
  const char* message;
};

TEST(Manifest, EveryErrorNamesItsLine) {
  const BadLine cases[] = {
      {"servce a program=/a", "expected 'service', found 'servce'"},
      {"service", "service without a name"},
      {"service A program=/a", "bad service name 'A' (1..15 of a-z 0-9 _ -)"},
      {"service averyveryverylongname program=/a",
       "bad service name 'averyveryverylongname' (1..15 of a-z 0-9 _ -)"},
      {"service a", "service 'a' has no program="},
      {"service a prio=3 program=/a", "unknown key 'prio'"},
      {"service a program=/a bogus", "unknown key 'bogus'"},
      {"service a program", "'program' needs a value"},
      {"service a program=/a admin=1", "'admin' takes no value"},
      {"service a program=/a framebuffer framebuffer", "duplicate key 'framebuffer'"},
      {"service a program=/a program=/b", "duplicate key 'program'"},
      {"service a program=bin/a", "program 'bin/a' is not an absolute path"},
      {"service a program=/0123456789012345678901234567890123456789012345678901234567890123",
       "program path too long (at most 63 bytes)"},
      {"service a program=/a priority=256", "bad number '256' for 'priority' (0..255)"},
      {"service a program=/a priority=x1", "bad number 'x1' for 'priority' (0..255)"},
      {"service a program=/a priority=", "bad number '' for 'priority' (0..255)"},
      {"service a program=/a memory=-1", "bad number '-1' for 'memory' (0..1073741824)"},
      {"service a program=/a heap=99999999999999999999",
       "bad number '99999999999999999999' for 'heap' (0..1073741824)"},
      {"service a program=/a max_restarts=4294967296",
       "bad number '4294967296' for 'max_restarts' (0..4294967295)"},
      {"service a program=/a backoff=1s", "bad number '1s' for 'backoff' (0..4294967295)"},
      {"service a program=/a restart=sometimes",
       "bad restart policy 'sometimes' (never, on-failure, always)"},
      {"service a program=/a ioport=0x3ff-0x3f8", "bad ioport range '0x3ff-0x3f8' (first-last, 0..0xffff)"},
      {"service a program=/a ioport=0x10000", "bad ioport range '0x10000' (first-last, 0..0xffff)"},
      {"service a program=/a ioport=COM:1-2", "bad ioport label 'COM'"},
      {"service a program=/a ioport=1 ioport=2 ioport=3 ioport=4 ioport=5",
       "too many ioport ranges (at most 3)"},
      {"service a program=/a irq=16", "bad irq '16' (ISA line 0..15)"},
      {"service a program=/a irqs=1,", "bad irq '' (ISA line 0..15)"},
      {"service a program=/a backoff=1 backoff_ms=2", "duplicate key 'backoff_ms'"},
      {"service a program=/a ports=1,2,3,4", "too many ioport ranges (at most 3)"},
      {"service a program=/a irq=1 irq=1", "irq 1 given twice"},
      {"service a program=/a irq=1 irq=2 irq=3 irq=4 irq=5", "too many irqs (at most 4)"},
      {"service a program=/a uses=console:rx", "bad right 'x' in uses (r, w, g, c)"},
      {"service a program=/a uses=console:", "empty rights after 'uses=console:'"},
      {"service a program=/a uses=Console", "bad name 'Console' in uses"},
      {"service a program=/a uses=b uses=b", "'b' used twice"},
      {"service a program=/a uses=b uses=c uses=d uses=e uses=f", "too many uses (at most 4)"},
      {"service a program=/a provides=x provides=x", "'x' provided twice"},
      {"service a program=/a provides=x provides=y provides=z", "too many provides (at most 2)"},
      {"service a program=/a provides=", "bad name '' in provides"},
      {"service a program=/a args=\"-v", "unterminated quote"},
      {"service a program=/a args=-\"v\"", "misplaced quote in the value of 'args'"},
  };
  for (const BadLine& c : cases) {
    // Each bad line sits between two good ones: they still parse, the error names line 2.
    const std::string text =
        std::string("service first program=/first\n") + c.line + "\nservice last program=/last\n";
    const Parsed p = parse(text);
    ASSERT_EQ(p.errors.size(), 1u) << c.line;
    EXPECT_EQ(p.errors[0].line, 2u) << c.line;
    EXPECT_EQ(p.errors[0].message, c.message) << c.line;
    ASSERT_EQ(p.specs.size(), 2u) << c.line;
    EXPECT_STREQ(p.specs[0].name, "first");
    EXPECT_STREQ(p.specs[1].name, "last");
  }
}

TEST(Manifest, ArgsTooLong) {
  const std::string line = "service a program=/a args=\"" + std::string(kArgsMax, 'x') + "\"";
  const Error e = only_error(line);
  EXPECT_EQ(e.line, 1u);
  EXPECT_EQ(e.message, "args too long (at most 255 bytes)");
}

TEST(Manifest, DuplicateServiceName) {
  const Parsed p = parse("service a program=/a\nservice b program=/b\n\nservice a program=/c\n");
  ASSERT_EQ(p.specs.size(), 2u);
  ASSERT_EQ(p.errors.size(), 1u);
  EXPECT_EQ(p.errors[0].line, 4u);
  EXPECT_EQ(p.errors[0].message, "duplicate service name 'a' (first on line 1)");
  EXPECT_STREQ(p.specs[0].program, "/a");  // the first one wins
}

TEST(Manifest, DuplicateProvider) {
  const Parsed p = parse("service a program=/a provides=x\nservice b program=/b provides=x\n");
  ASSERT_EQ(p.specs.size(), 1u);
  ASSERT_EQ(p.errors.size(), 1u);
  EXPECT_EQ(p.errors[0].line, 2u);
  EXPECT_EQ(p.errors[0].message, "'x' is already provided by 'a' (line 1)");
}

TEST(Manifest, TooManyServices) {
  std::string text;
  for (size_t i = 0; i < kMaxServices + 2; ++i) {
    text += "service s" + std::to_string(i) + " program=/p\n";
  }
  const Parsed p = parse(text);
  EXPECT_EQ(p.specs.size(), kMaxServices);
  ASSERT_EQ(p.errors.size(), 1u);  // reported once
  EXPECT_EQ(p.errors[0].line, kMaxServices + 1);
  EXPECT_EQ(p.errors[0].message, "too many services (at most 16); this and later lines ignored");
}

TEST(Manifest, SmallerOutputArray) {
  const Parsed p = parse("service a program=/a\nservice b program=/b\nservice c program=/c\n", 2);
  EXPECT_EQ(p.specs.size(), 2u);
  ASSERT_EQ(p.errors.size(), 1u);
  EXPECT_EQ(p.errors[0].message, "too many services (at most 2); this and later lines ignored");
}

TEST(Manifest, NullSinkIsAllowed) {
  ServiceSpec specs[2];
  const char text[] = "bad line\nservice a program=/a\n";
  EXPECT_EQ(parse_manifest(text, sizeof(text) - 1, specs, 2, nullptr, nullptr), 1u);
}

// ---- order_services ----

struct Ordered {
  std::vector<std::string> names;
  std::vector<Error> errors;
};

Ordered order(const std::string& text) {
  Parsed p = parse(text);
  EXPECT_TRUE(p.errors.empty()) << p.errors[0].message;
  Ordered o;
  size_t idx[kMaxServices];
  const size_t n = order_services(p.specs.data(), p.specs.size(), idx, collect, &o.errors);
  for (size_t i = 0; i < n; ++i) o.names.push_back(p.specs[idx[i]].name);
  return o;
}

using Names = std::vector<std::string>;

TEST(ManifestOrder, KeepsManifestOrderWithoutDependencies) {
  const Ordered o = order("service a program=/a\nservice b program=/b\nservice c program=/c\n");
  EXPECT_TRUE(o.errors.empty());
  EXPECT_EQ(o.names, (Names{"a", "b", "c"}));
}

TEST(ManifestOrder, ProvidersComeFirst) {
  const Ordered o = order(
      "service shell program=/s uses=console uses=fs\n"
      "service fs program=/f uses=blk provides=fs\n"
      "service console program=/c provides=console\n"
      "service blk program=/b provides=blk\n");
  EXPECT_TRUE(o.errors.empty());
  EXPECT_EQ(o.names, (Names{"console", "blk", "fs", "shell"}));
}

TEST(ManifestOrder, UnknownUseLeavesOutTheServiceAndItsDependants) {
  const Ordered o = order(
      "service a program=/a provides=a\n"
      "service b program=/b uses=nothing provides=b\n"
      "service c program=/c uses=b\n"
      "service d program=/d uses=a\n");
  EXPECT_EQ(o.names, (Names{"a", "d"}));
  ASSERT_EQ(o.errors.size(), 2u);
  EXPECT_EQ(o.errors[0].line, 2u);
  EXPECT_EQ(o.errors[0].message, "service 'b' uses 'nothing', which no service provides");
  EXPECT_EQ(o.errors[1].line, 3u);
  EXPECT_EQ(o.errors[1].message, "service 'c' is not started: 'b' (from 'b') cannot start");
}

TEST(ManifestOrder, CycleIsReportedOnceAndLeftOut) {
  const Ordered o = order(
      "service x program=/x uses=a\n"
      "service a program=/a uses=b provides=a\n"
      "service b program=/b uses=c provides=b\n"
      "service c program=/c uses=a provides=c\n"
      "service y program=/y\n");
  EXPECT_EQ(o.names, (Names{"y"}));
  ASSERT_EQ(o.errors.size(), 2u);
  EXPECT_EQ(o.errors[0].line, 0u);
  EXPECT_EQ(o.errors[0].message, "dependency cycle: a -> b -> c -> a");
  EXPECT_EQ(o.errors[1].line, 1u);
  EXPECT_EQ(o.errors[1].message, "service 'x' is not started: 'a' (from 'a') cannot start");
}

TEST(ManifestOrder, UsingItsOwnNameIsNoDependency) {
  const Ordered o = order("service b program=/b uses=a\nservice a program=/a uses=a provides=a\n");
  EXPECT_TRUE(o.errors.empty());
  EXPECT_EQ(o.names, (Names{"a", "b"}));
}

TEST(ManifestOrder, TwoServiceCycle) {
  const Ordered o = order(
      "service a program=/a uses=b provides=a\nservice b program=/b uses=a provides=b\n");
  EXPECT_TRUE(o.names.empty());
  ASSERT_EQ(o.errors.size(), 1u);
  EXPECT_EQ(o.errors[0].line, 0u);
  EXPECT_EQ(o.errors[0].message, "dependency cycle: a -> b -> a");
}

TEST(ManifestOrder, SharedDependencyStartsOnce) {
  const Ordered o = order(
      "service a program=/a uses=c\n"
      "service b program=/b uses=c\n"
      "service c program=/c provides=c\n");
  EXPECT_TRUE(o.errors.empty());
  EXPECT_EQ(o.names, (Names{"c", "a", "b"}));
}

}  // namespace
