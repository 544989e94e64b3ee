// Portable parser for \boot\muboot.cfg: "key = value" lines, '#' comments, warnings as values.
#include "config.h"

#include "text.h"

namespace muboot {
namespace {

struct Span {
  const char* begin;
  const char* end;

  [[nodiscard]] size_t size() const { return static_cast<size_t>(end - begin); }
  [[nodiscard]] bool equals(const char* word) const {
    const char* p = begin;
    for (; p != end && *word != '\0'; ++p, ++word) {
      if (*p != *word) return false;
    }
    return p == end && *word == '\0';
  }
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_key_char(char c) { return (c >= 'a' && c <= 'z') || is_digit(c) || c == '_'; }

Span trim(Span s) {
  while (s.begin != s.end && is_space(*s.begin)) ++s.begin;
  while (s.end != s.begin && is_space(*(s.end - 1))) --s.end;
  return s;
}

class Parser {
 public:
  explicit Parser(ConfigParseResult* out) : out_(out) {}

  void line(uint32_t number, Span text);

 private:
  void warn(uint32_t number, ConfigWarningKind kind, Span key);
  // Copies a path value, turning '/' into '\'. Warns and returns false when it is invalid.
  [[nodiscard]] bool set_path(char* field, Span value, uint32_t number, Span key);
  [[nodiscard]] bool set_video(Span value);

  ConfigParseResult* out_;
  uint32_t seen_line_[4] = {};  // kernel, initrd, cmdline, video: line that set it (0 = none)
};

void Parser::warn(uint32_t number, ConfigWarningKind kind, Span key) {
  if (out_->warning_count == kConfigMaxWarnings) {
    ++out_->warnings_dropped;
    return;
  }
  ConfigWarning& w = out_->warnings[out_->warning_count++];
  w.line = number;
  w.kind = kind;
  size_t n = 0;
  for (const char* p = key.begin; p != key.end && n + 1 < sizeof(w.key); ++p) w.key[n++] = *p;
  w.key[n] = '\0';
}

bool Parser::set_path(char* field, Span value, uint32_t number, Span key) {
  if (value.size() == 0 || (*value.begin != '\\' && *value.begin != '/')) {
    warn(number, ConfigWarningKind::BadValue, key);
    return false;
  }
  if (value.size() + 1 > kConfigPathMax) {
    warn(number, ConfigWarningKind::ValueTooLong, key);
    return false;
  }
  size_t n = 0;
  for (const char* p = value.begin; p != value.end; ++p) field[n++] = *p == '/' ? '\\' : *p;
  field[n] = '\0';
  return true;
}

// Parses 1-5 decimal digits as a dimension in [1, kConfigVideoMaxDimension].
bool parse_dimension(Span s, uint32_t* out) {
  if (s.size() == 0 || s.size() > 5) return false;
  uint32_t value = 0;
  for (const char* p = s.begin; p != s.end; ++p) {
    if (!is_digit(*p)) return false;
    value = value * 10 + static_cast<uint32_t>(*p - '0');
  }
  if (value == 0 || value > kConfigVideoMaxDimension) return false;
  *out = value;
  return true;
}

bool Parser::set_video(Span value) {
  if (value.equals("keep")) {
    out_->config.video = VideoSetting{VideoRequest::Keep, 0, 0};
    return true;
  }
  const char* x = value.begin;
  while (x != value.end && *x != 'x' && *x != 'X') ++x;
  if (x == value.end) return false;
  uint32_t width = 0;
  uint32_t height = 0;
  if (!parse_dimension(trim(Span{value.begin, x}), &width) ||
      !parse_dimension(trim(Span{x + 1, value.end}), &height)) {
    return false;
  }
  out_->config.video = VideoSetting{VideoRequest::Size, width, height};
  return true;
}

void Parser::line(uint32_t number, Span text) {
  Span body = trim(text);
  if (body.size() == 0 || *body.begin == '#') return;

  const char* eq = body.begin;
  while (eq != body.end && *eq != '=') ++eq;
  const Span key = trim(Span{body.begin, eq});
  if (eq == body.end || key.size() == 0) {
    warn(number, ConfigWarningKind::Malformed, key);
    return;
  }
  for (const char* p = key.begin; p != key.end; ++p) {
    if (!is_key_char(*p)) {
      warn(number, ConfigWarningKind::Malformed, key);
      return;
    }
  }

  // A '#' after whitespace starts a trailing comment; "a#b" stays part of the value.
  Span value{eq + 1, body.end};
  for (const char* p = value.begin; p != value.end; ++p) {
    if (*p == '#' && (p == value.begin || is_space(*(p - 1)))) {
      value.end = p;
      break;
    }
  }
  value = trim(value);
  for (const char* p = value.begin; p != value.end; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if ((c < 0x20 && c != '\t') || c >= 0x7F) {
      warn(number, ConfigWarningKind::BadCharacter, key);
      return;
    }
  }

  int slot = -1;
  if (key.equals("kernel"))
    slot = 0;
  else if (key.equals("initrd"))
    slot = 1;
  else if (key.equals("cmdline"))
    slot = 2;
  else if (key.equals("video"))
    slot = 3;
  if (slot < 0) {
    warn(number, ConfigWarningKind::UnknownKey, key);
    return;
  }

  Config& config = out_->config;
  bool ok = false;
  switch (slot) {
    case 0: ok = set_path(config.kernel, value, number, key); break;
    case 1: ok = set_path(config.initrd, value, number, key); break;
    case 2:
      if (value.size() + 1 > kConfigCmdlineMax) {
        warn(number, ConfigWarningKind::ValueTooLong, key);
        break;
      }
      for (size_t i = 0; i < value.size(); ++i) config.cmdline[i] = value.begin[i];
      config.cmdline[value.size()] = '\0';
      ok = true;
      break;
    default:
      ok = set_video(value);
      if (!ok) warn(number, ConfigWarningKind::BadValue, key);
      break;
  }
  if (!ok) return;
  if (seen_line_[slot] != 0) warn(number, ConfigWarningKind::DuplicateKey, key);
  seen_line_[slot] = number;
}

}  // namespace

const char* config_warning_string(ConfigWarningKind kind) {
  switch (kind) {
    case ConfigWarningKind::UnknownKey: return "unknown key, line ignored";
    case ConfigWarningKind::Malformed: return "malformed line (expected key = value), line ignored";
    case ConfigWarningKind::ValueTooLong: return "value too long, line ignored";
    case ConfigWarningKind::BadValue: return "invalid value, line ignored";
    case ConfigWarningKind::BadCharacter:
      return "control or non-ASCII character in value, line ignored";
    case ConfigWarningKind::DuplicateKey: return "key set twice, the later value wins";
  }
  return "unknown warning";
}

void config_set_defaults(Config* config) {
  str_copy(config->kernel, sizeof(config->kernel), kDefaultKernelPath);
  str_copy(config->initrd, sizeof(config->initrd), kDefaultInitrdPath);
  config->cmdline[0] = '\0';
  config->video = VideoSetting{};
}

void parse_config(const char* text, size_t size, ConfigParseResult* out) {
  config_set_defaults(&out->config);
  out->warning_count = 0;
  out->warnings_dropped = 0;

  const char* p = text;
  const char* const end = text + size;
  // Editors on other systems may write a UTF-8 byte-order mark; it is not part of line 1.
  if (size >= 3 && static_cast<unsigned char>(p[0]) == 0xEF &&
      static_cast<unsigned char>(p[1]) == 0xBB && static_cast<unsigned char>(p[2]) == 0xBF) {
    p += 3;
  }
  Parser parser(out);
  uint32_t number = 1;
  while (p < end) {
    const char* eol = p;
    while (eol != end && *eol != '\n') ++eol;
    parser.line(number, Span{p, eol});
    ++number;
    p = eol == end ? end : eol + 1;
  }
}

}  // namespace muboot
