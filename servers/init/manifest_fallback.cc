// TEMPORARY stand-in for manifest.cc (written on branch wip-runtime), compiled only while that
// file is missing so init can be tested before the merge. It understands a small subset:
//   service <name> program=<path> [priority=N] [restart=never|on-failure|always] [admin]
//     [framebuffer] [provides=a,b] [uses=a,b] [irqs=N,N] [ports=[label:]first[-last],...]
//     [heap=KiB] [memory=KiB] [max_restarts=N] [backoff_ms=N]
#include "manifest.h"

namespace init {
namespace {

bool eq(const char* a, size_t n, const char* b) {
  size_t i = 0;
  for (; i < n && b[i] != '\0'; ++i) {
    if (a[i] != b[i]) return false;
  }
  return i == n && b[i] == '\0';
}
void copy(char* dst, size_t size, const char* src, size_t n) {
  size_t i = 0;
  for (; i < n && i + 1 < size; ++i) dst[i] = src[i];
  dst[i] = '\0';
}
uint64_t number(const char* s, size_t n) {
  uint64_t v = 0;
  if (n > 2 && s[0] == '0' && s[1] == 'x') {
    for (size_t i = 2; i < n; ++i) {
      const char c = s[i];
      v = v * 16 + static_cast<uint64_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
  }
  for (size_t i = 0; i < n; ++i) v = v * 10 + static_cast<uint64_t>(s[i] - '0');
  return v;
}

}  // namespace

size_t parse_manifest(const char* text, size_t length, ServiceSpec* out, size_t max,
                      ErrorSink, void*) {
  size_t count = 0;
  unsigned line = 0;
  for (size_t pos = 0; pos < length && count < max;) {
    ++line;
    size_t end = pos;
    while (end < length && text[end] != '\n') ++end;
    ServiceSpec spec{};
    spec.priority = 100;
    spec.max_restarts = 5;
    spec.backoff_ms = 100;
    spec.line = line;
    int word = 0;
    for (size_t i = pos; i < end;) {
      while (i < end && (text[i] == ' ' || text[i] == '\t')) ++i;
      if (i >= end || text[i] == '#') break;
      size_t w = i;
      while (w < end && text[w] != ' ' && text[w] != '\t') ++w;
      const char* t = text + i;
      const size_t n = w - i;
      size_t k = 0;
      while (k < n && t[k] != '=') ++k;
      const char* v = t + k + 1;
      const size_t vn = k < n ? n - k - 1 : 0;
      if (word == 0 && !eq(t, n, "service")) break;
      if (word == 1) copy(spec.name, kNameMax, t, n);
      if (word >= 2) {
        if (eq(t, k, "program")) copy(spec.program, kProgramMax, v, vn);
        if (eq(t, k, "args")) copy(spec.args, kArgsMax, v, vn);
        if (eq(t, k, "priority")) spec.priority = static_cast<uint8_t>(number(v, vn));
        if (eq(t, k, "heap")) spec.heap_kib = number(v, vn);
        if (eq(t, k, "memory")) spec.memory_kib = number(v, vn);
        if (eq(t, k, "max_restarts")) spec.max_restarts = static_cast<uint32_t>(number(v, vn));
        if (eq(t, k, "backoff_ms")) spec.backoff_ms = static_cast<uint32_t>(number(v, vn));
        if (eq(t, k, "admin")) spec.admin = true;
        if (eq(t, k, "framebuffer")) spec.framebuffer = true;
        if (eq(t, k, "restart")) {
          spec.restart = eq(v, vn, "always")       ? RestartPolicy::Always
                         : eq(v, vn, "on-failure") ? RestartPolicy::OnFailure
                                                   : RestartPolicy::Never;
        }
        // Comma lists.
        for (size_t a = 0; a < vn;) {
          size_t b = a;
          while (b < vn && v[b] != ',') ++b;
          const char* item = v + a;
          const size_t in = b - a;
          if (eq(t, k, "provides") && spec.provide_count < kMaxProvides)
            copy(spec.provides[spec.provide_count++], kNameMax, item, in);
          if (eq(t, k, "uses") && spec.use_count < kMaxUses) {
            copy(spec.uses[spec.use_count].name, kNameMax, item, in);
            spec.uses[spec.use_count++].rights = 0x0A;  // write + grant-reply
          }
          if (eq(t, k, "irqs") && spec.irq_count < kMaxIrqs)
            spec.irqs[spec.irq_count++] = static_cast<uint8_t>(number(item, in));
          if (eq(t, k, "ports") && spec.port_count < kMaxPortRanges) {
            PortRange& r = spec.ports[spec.port_count++];
            size_t c = 0;
            while (c < in && item[c] != ':') ++c;
            const char* range = item;
            size_t rn = in;
            if (c < in) {
              copy(r.name, kNameMax, item, c);
              range = item + c + 1;
              rn = in - c - 1;
            }
            size_t d = 0;
            while (d < rn && range[d] != '-') ++d;
            r.first = static_cast<uint16_t>(number(range, d));
            r.last = d < rn ? static_cast<uint16_t>(number(range + d + 1, rn - d - 1)) : r.first;
          }
          a = b + 1;
        }
      }
      ++word;
      i = w;
    }
    if (word >= 2) out[count++] = spec;
    pos = end + 1;
  }
  return count;
}

size_t order_services(const ServiceSpec*, size_t count, size_t* order, ErrorSink, void*) {
  for (size_t i = 0; i < count; ++i) order[i] = i;
  return count;
}

}  // namespace init
