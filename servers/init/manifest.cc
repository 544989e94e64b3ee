// init's service manifest parser (manifest.h; the format is in docs/protocols.md "init").
// Pure code: no system calls, no allocation; built into init and into a host unit test.
#include "manifest.h"

#include <stdarg.h>

#include "mu/cap_abi.h"
#include "mu_runtime.h"  // format, copy_string, parse_u64, string_equal

namespace init {
namespace {

using mu::user::string_equal;

constexpr uint8_t kDefaultUseRights = mu::kRightWrite | mu::kRightGrantReply;

// A piece of a line: [data, data + length), not NUL-terminated.
struct Span {
  const char* data = nullptr;
  size_t length = 0;

  [[nodiscard]] bool equals(const char* s) const {
    size_t i = 0;
    for (; i < length; ++i) {
      if (s[i] != data[i]) return false;
    }
    return s[i] == '\0';
  }
  [[nodiscard]] bool empty() const { return length == 0; }
};

// Reports errors with the line they belong to.
struct Reporter {
  ErrorSink sink;
  void* context;

  void verror(unsigned line, const char* fmt, va_list args) const {
    ManifestError e{};
    e.line = line;
    (void)mu::user::vformat(e.message, sizeof(e.message), fmt, args);
    if (sink != nullptr) sink(e, context);
  }
  __attribute__((format(printf, 3, 4))) void error(unsigned line, const char* fmt, ...) const {
    va_list args;
    va_start(args, fmt);
    verror(line, fmt, args);
    va_end(args);
  }
};

// Printable (bounded) form of a span for messages: "%.*s" with its length.
int shown(const Span& s) { return s.length > 40 ? 40 : static_cast<int>(s.length); }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Splits one line into words. A word is `key=value`, `key="value with spaces"`, or a bare word;
// `#` at the start of a word begins a comment that runs to the end of the line.
class Words {
 public:
  Words(const char* line, size_t length) : p_(line), end_(line + length) {}

  // The next word in *out (quotes kept); false at the end of the line. Sets *bad_quote when a
  // quote is not closed (the word then runs to the end of the line).
  bool next(Span* out, bool* bad_quote) {
    while (p_ < end_ && is_space(*p_)) ++p_;
    if (p_ >= end_ || *p_ == '#') return false;
    const char* start = p_;
    bool quoted = false;
    while (p_ < end_ && (quoted || !is_space(*p_))) {
      if (*p_ == '"') quoted = !quoted;
      ++p_;
    }
    *bad_quote = quoted;
    *out = Span{start, static_cast<size_t>(p_ - start)};
    return true;
  }

 private:
  const char* p_;
  const char* end_;
};

// Names: 1..kNameMax-1 bytes of [a-z0-9_-] (service names, uses/provides, port labels).
bool valid_name(const Span& s) {
  if (s.empty() || s.length >= kNameMax) return false;
  for (size_t i = 0; i < s.length; ++i) {
    const char c = s.data[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void copy_span(char* dst, size_t size, const Span& s) {
  const size_t n = s.length < size - 1 ? s.length : size - 1;
  for (size_t i = 0; i < n; ++i) dst[i] = s.data[i];
  dst[n] = '\0';
}

// Splits `s` at the first `sep`: the part before in *head, after in *tail. False if absent.
bool split(const Span& s, char sep, Span* head, Span* tail) {
  for (size_t i = 0; i < s.length; ++i) {
    if (s.data[i] == sep) {
      *head = Span{s.data, i};
      *tail = Span{s.data + i + 1, s.length - i - 1};
      return true;
    }
  }
  return false;
}

bool parse_number(const Span& s, uint64_t max, uint64_t* out) {
  uint64_t v = 0;
  if (!mu::user::parse_u64(s.data, s.length, &v) || v > max) return false;
  *out = v;
  return true;
}

// Which keys a line has set (each may appear once), by bit.
enum KeyBit : uint32_t {
  kKeyProgram = 1u << 0,
  kKeyArgs = 1u << 1,
  kKeyPriority = 1u << 2,
  kKeyRestart = 1u << 3,
  kKeyMaxRestarts = 1u << 4,
  kKeyBackoff = 1u << 5,
  kKeyMemory = 1u << 6,
  kKeyHeap = 1u << 7,
  kKeyFramebuffer = 1u << 8,
  kKeyAdmin = 1u << 9,
};

// Parses the words after `service <name>` of one line into `spec`. Reports the first problem
// and returns false.
class LineParser {
 public:
  LineParser(ServiceSpec* spec, const Reporter& report, unsigned line)
      : spec_(spec), report_(report), line_(line) {}

  bool word(const Span& w) {
    Span key, value;
    const bool has_value = split(w, '=', &key, &value);
    if (!has_value) key = w;
    if (key.equals("framebuffer") || key.equals("admin")) {
      if (has_value) return fail("'%.*s' takes no value", shown(key), key.data);
      const KeyBit bit = key.equals("admin") ? kKeyAdmin : kKeyFramebuffer;
      if (!once(bit, key)) return false;
      (bit == kKeyAdmin ? spec_->admin : spec_->framebuffer) = true;
      return true;
    }
    if (!has_value) {
      if (known_value_key(key)) return fail("'%.*s' needs a value", shown(key), key.data);
      return fail("unknown key '%.*s'", shown(key), key.data);
    }
    if (!unquote(&value, key)) return false;
    if (key.equals("program")) return program(key, value);
    if (key.equals("args")) return args(key, value);
    if (key.equals("priority")) return small_number(kKeyPriority, key, value, 255, &spec_->priority);
    if (key.equals("restart")) return restart(key, value);
    if (key.equals("max_restarts")) {
      return small_number(kKeyMaxRestarts, key, value, UINT32_MAX, &spec_->max_restarts);
    }
    if (key.equals("backoff")) {
      return small_number(kKeyBackoff, key, value, UINT32_MAX, &spec_->backoff_ms);
    }
    if (key.equals("memory")) return number_key(kKeyMemory, key, value, kMaxKib, &spec_->memory_kib);
    if (key.equals("heap")) return number_key(kKeyHeap, key, value, kMaxKib, &spec_->heap_kib);
    if (key.equals("ioport")) return ioport(value);
    if (key.equals("irq")) return irq(value);
    if (key.equals("uses")) return uses(value);
    if (key.equals("provides")) return provides(value);
    return fail("unknown key '%.*s'", shown(key), key.data);
  }

 private:
  static constexpr uint64_t kMaxKib = uint64_t{1} << 30;  // 1 TiB: bounds every later sum
  static constexpr uint64_t kMaxIrqLine = 15;             // ISA lines (mu/program.h GrantKind)

  __attribute__((format(printf, 2, 3))) bool fail(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    report_.verror(line_, fmt, args);
    va_end(args);
    return false;
  }

  static bool known_value_key(const Span& key) {
    const char* keys[] = {"program", "args",   "priority", "restart", "max_restarts", "backoff",
                          "memory",  "heap",   "ioport",   "irq",     "uses",         "provides"};
    for (const char* k : keys) {
      if (key.equals(k)) return true;
    }
    return false;
  }

  bool once(KeyBit bit, const Span& key) {
    if ((seen_ & bit) != 0) return fail("duplicate key '%.*s'", shown(key), key.data);
    seen_ |= bit;
    return true;
  }

  // Strips one pair of surrounding quotes; a quote anywhere else is an error.
  bool unquote(Span* value, const Span& key) {
    if (value->length >= 2 && value->data[0] == '"' && value->data[value->length - 1] == '"') {
      *value = Span{value->data + 1, value->length - 2};
    }
    for (size_t i = 0; i < value->length; ++i) {
      if (value->data[i] == '"') {
        return fail("misplaced quote in the value of '%.*s'", shown(key), key.data);
      }
    }
    return true;
  }

  bool number_key(KeyBit bit, const Span& key, const Span& value, uint64_t max, uint64_t* out) {
    if (!once(bit, key)) return false;
    if (!parse_number(value, max, out)) {
      return fail("bad number '%.*s' for '%.*s' (0..%lu)", shown(value), value.data, shown(key),
                  key.data, static_cast<unsigned long>(max));
    }
    return true;
  }

  template <typename T>
  bool small_number(KeyBit bit, const Span& key, const Span& value, uint64_t max, T* out) {
    uint64_t v = 0;
    if (!number_key(bit, key, value, max, &v)) return false;
    *out = static_cast<T>(v);
    return true;
  }

  bool program(const Span& key, const Span& value) {
    if (!once(kKeyProgram, key)) return false;
    if (value.empty() || value.data[0] != '/') {
      return fail("program '%.*s' is not an absolute path", shown(value), value.data);
    }
    if (value.length >= kProgramMax) {
      return fail("program path too long (at most %zu bytes)", kProgramMax - 1);
    }
    copy_span(spec_->program, sizeof(spec_->program), value);
    return true;
  }

  bool args(const Span& key, const Span& value) {
    if (!once(kKeyArgs, key)) return false;
    if (value.length >= kArgsMax) return fail("args too long (at most %zu bytes)", kArgsMax - 1);
    copy_span(spec_->args, sizeof(spec_->args), value);
    return true;
  }

  bool restart(const Span& key, const Span& value) {
    if (!once(kKeyRestart, key)) return false;
    if (value.equals("never")) {
      spec_->restart = RestartPolicy::Never;
    } else if (value.equals("on-failure")) {
      spec_->restart = RestartPolicy::OnFailure;
    } else if (value.equals("always")) {
      spec_->restart = RestartPolicy::Always;
    } else {
      return fail("bad restart policy '%.*s' (never, on-failure, always)", shown(value),
                  value.data);
    }
    return true;
  }

  // ioport=[label:]first-last or [label:]port.
  bool ioport(const Span& value) {
    if (spec_->port_count >= kMaxPortRanges) {
      return fail("too many ioport ranges (at most %zu)", kMaxPortRanges);
    }
    Span label, range = value;
    if (split(value, ':', &label, &range) && !valid_name(label)) {
      return fail("bad ioport label '%.*s'", shown(label), label.data);
    }
    Span first = range, last = range;
    (void)split(range, '-', &first, &last);
    uint64_t a = 0, b = 0;
    if (!parse_number(first, 0xFFFF, &a) || !parse_number(last, 0xFFFF, &b) || a > b) {
      return fail("bad ioport range '%.*s' (first-last, 0..0xffff)", shown(range), range.data);
    }
    PortRange& r = spec_->ports[spec_->port_count++];
    r.first = static_cast<uint16_t>(a);
    r.last = static_cast<uint16_t>(b);
    if (label.data != nullptr) copy_span(r.name, sizeof(r.name), label);
    return true;
  }

  bool irq(const Span& value) {
    if (spec_->irq_count >= kMaxIrqs) return fail("too many irqs (at most %zu)", kMaxIrqs);
    uint64_t line = 0;
    if (!parse_number(value, kMaxIrqLine, &line)) {
      return fail("bad irq '%.*s' (ISA line 0..15)", shown(value), value.data);
    }
    for (size_t i = 0; i < spec_->irq_count; ++i) {
      if (spec_->irqs[i] == line) return fail("irq %lu given twice", static_cast<unsigned long>(line));
    }
    spec_->irqs[spec_->irq_count++] = static_cast<uint8_t>(line);
    return true;
  }

  // uses=name or uses=name:rights with rights letters r (read), w (write), g (grant),
  // c (grant-reply: needed to Call).
  bool uses(const Span& value) {
    if (spec_->use_count >= kMaxUses) return fail("too many uses (at most %zu)", kMaxUses);
    Span name = value, rights_text;
    uint8_t rights = kDefaultUseRights;
    if (split(value, ':', &name, &rights_text)) {
      rights = 0;
      if (rights_text.empty()) return fail("empty rights after 'uses=%.*s:'", shown(name), name.data);
      for (size_t i = 0; i < rights_text.length; ++i) {
        const char c = rights_text.data[i];
        const uint8_t bit = c == 'r'   ? mu::kRightRead
                            : c == 'w' ? mu::kRightWrite
                            : c == 'g' ? mu::kRightGrant
                            : c == 'c' ? mu::kRightGrantReply
                                       : 0;
        if (bit == 0) return fail("bad right '%c' in uses (r, w, g, c)", c);
        rights |= bit;
      }
    }
    if (!valid_name(name)) return fail("bad name '%.*s' in uses", shown(name), name.data);
    for (size_t i = 0; i < spec_->use_count; ++i) {
      if (name.equals(spec_->uses[i].name)) {
        return fail("'%.*s' used twice", shown(name), name.data);
      }
    }
    Use& u = spec_->uses[spec_->use_count++];
    copy_span(u.name, sizeof(u.name), name);
    u.rights = rights;
    return true;
  }

  bool provides(const Span& value) {
    if (spec_->provide_count >= kMaxProvides) {
      return fail("too many provides (at most %zu)", kMaxProvides);
    }
    if (!valid_name(value)) return fail("bad name '%.*s' in provides", shown(value), value.data);
    for (size_t i = 0; i < spec_->provide_count; ++i) {
      if (value.equals(spec_->provides[i])) {
        return fail("'%.*s' provided twice", shown(value), value.data);
      }
    }
    copy_span(spec_->provides[spec_->provide_count++], kNameMax, value);
    return true;
  }

  ServiceSpec* spec_;
  const Reporter& report_;
  unsigned line_;
  uint32_t seen_ = 0;
};

void set_defaults(ServiceSpec* spec, unsigned line) {
  *spec = ServiceSpec{};
  spec->priority = 100;
  spec->restart = RestartPolicy::OnFailure;
  spec->max_restarts = 5;
  spec->backoff_ms = 100;
  spec->memory_kib = 512;
  spec->heap_kib = 256;
  spec->line = line;
}

// Checks a parsed line against the services already accepted.
bool conflicts(const ServiceSpec& spec, const ServiceSpec* accepted, size_t count,
               const Reporter& report) {
  for (size_t i = 0; i < count; ++i) {
    if (string_equal(spec.name, accepted[i].name)) {
      report.error(spec.line, "duplicate service name '%s' (first on line %u)", spec.name,
                   accepted[i].line);
      return true;
    }
    for (size_t p = 0; p < spec.provide_count; ++p) {
      for (size_t q = 0; q < accepted[i].provide_count; ++q) {
        if (string_equal(spec.provides[p], accepted[i].provides[q])) {
          report.error(spec.line, "'%s' is already provided by '%s' (line %u)", spec.provides[p],
                       accepted[i].name, accepted[i].line);
          return true;
        }
      }
    }
  }
  return false;
}

// Parses one line; true with `spec` filled when it is a good service line.
bool parse_line(const char* text, size_t length, unsigned line, ServiceSpec* spec,
                const Reporter& report) {
  Words words(text, length);
  Span w;
  bool bad_quote = false;
  if (!words.next(&w, &bad_quote)) return false;  // blank or comment
  if (!w.equals("service")) {
    report.error(line, "expected 'service', found '%.*s'", shown(w), w.data);
    return false;
  }
  Span name;
  if (!words.next(&name, &bad_quote)) {
    report.error(line, "service without a name");
    return false;
  }
  if (!valid_name(name)) {
    report.error(line, "bad service name '%.*s' (1..%zu of a-z 0-9 _ -)", shown(name), name.data,
                 kNameMax - 1);
    return false;
  }
  set_defaults(spec, line);
  copy_span(spec->name, sizeof(spec->name), name);
  LineParser parser(spec, report, line);
  while (words.next(&w, &bad_quote)) {
    if (bad_quote) {
      report.error(line, "unterminated quote");
      return false;
    }
    if (!parser.word(w)) return false;
  }
  if (spec->program[0] == '\0') {
    report.error(line, "service '%s' has no program=", spec->name);
    return false;
  }
  return true;
}

}  // namespace

size_t parse_manifest(const char* text, size_t length, ServiceSpec* out, size_t max,
                      ErrorSink on_error, void* context) {
  const Reporter report{on_error, context};
  size_t count = 0;
  unsigned line = 0;
  size_t pos = 0;
  bool reported_full = false;
  while (pos < length) {
    ++line;
    size_t end = pos;
    while (end < length && text[end] != '\n') ++end;
    ServiceSpec spec;
    if (parse_line(text + pos, end - pos, line, &spec, report) &&
        !conflicts(spec, out, count, report)) {
      if (count < max && count < kMaxServices) {
        out[count++] = spec;
      } else if (!reported_full) {
        report.error(line, "too many services (at most %zu); this and later lines ignored",
                     max < kMaxServices ? max : kMaxServices);
        reported_full = true;
      }
    }
    pos = end + 1;
  }
  return count;
}

namespace {

enum class Visit : uint8_t { New, Active, Done, Failed };

// Depth-first ordering: a service is emitted after everything it uses.
class Orderer {
 public:
  Orderer(const ServiceSpec* specs, size_t count, size_t* order, const Reporter& report)
      : specs_(specs), count_(count), order_(order), report_(report) {}

  size_t run() {
    for (size_t i = 0; i < count_ && i < kMaxServices; ++i) (void)visit(i);
    return emitted_;
  }

 private:
  // The service providing `name`, or count_.
  size_t provider(const char* name) const {
    for (size_t i = 0; i < count_; ++i) {
      for (size_t p = 0; p < specs_[i].provide_count; ++p) {
        if (string_equal(specs_[i].provides[p], name)) return i;
      }
    }
    return count_;
  }

  // Reports the cycle that closes at `target` (on the stack) and marks its members failed.
  void report_cycle(size_t target) {
    char message[sizeof(ManifestError::message)];
    size_t first = depth_;
    while (first > 0 && stack_[first - 1] != target) --first;
    if (first > 0) --first;
    size_t n = mu::user::format(message, sizeof(message), "dependency cycle:");
    for (size_t k = first; k < depth_; ++k) {
      if (n < sizeof(message)) {
        n += mu::user::format(message + n, sizeof(message) - n, " %s ->", specs_[stack_[k]].name);
      }
      state_[stack_[k]] = Visit::Failed;
    }
    if (n < sizeof(message)) {
      (void)mu::user::format(message + n, sizeof(message) - n, " %s", specs_[target].name);
    }
    report_.error(0, "%s", message);
  }

  bool visit(size_t i) {
    if (state_[i] == Visit::Done) return true;
    if (state_[i] == Visit::Failed) return false;
    state_[i] = Visit::Active;
    stack_[depth_++] = i;
    const ServiceSpec& spec = specs_[i];
    bool ok = true;
    for (size_t u = 0; u < spec.use_count && ok; ++u) {
      const size_t j = provider(spec.uses[u].name);
      if (j == count_) {
        report_.error(spec.line, "service '%s' uses '%s', which no service provides", spec.name,
                      spec.uses[u].name);
        ok = false;
      } else if (state_[j] == Visit::Active) {
        report_cycle(j);
        ok = false;
      } else if (!visit(j)) {
        // A member of a cycle was already reported with the cycle.
        if (state_[i] != Visit::Failed) {
          report_.error(spec.line, "service '%s' is not started: '%s' (from '%s') cannot start",
                        spec.name, spec.uses[u].name, specs_[j].name);
        }
        ok = false;
      }
    }
    --depth_;
    if (!ok) {
      state_[i] = Visit::Failed;
      return false;
    }
    state_[i] = Visit::Done;
    order_[emitted_++] = i;
    return true;
  }

  const ServiceSpec* specs_;
  size_t count_;
  size_t* order_;
  const Reporter& report_;
  Visit state_[kMaxServices] = {};
  size_t stack_[kMaxServices] = {};
  size_t depth_ = 0;
  size_t emitted_ = 0;
};

}  // namespace

size_t order_services(const ServiceSpec* specs, size_t count, size_t* order, ErrorSink on_error,
                      void* context) {
  const Reporter report{on_error, context};
  if (count > kMaxServices) count = kMaxServices;
  Orderer orderer(specs, count, order, report);
  return orderer.run();
}

}  // namespace init
