// ELF details for `mu-initrd ls`: read with libelf (gelf_*), judged by mu::validate_elf.
#include "elf_summary.h"

#include <gelf.h>
#include <libelf.h>

#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstring>

#include <mu/elf.h>

namespace mu::initrd {

namespace {

constexpr size_t kMaxSegmentsShown = 64;  // hostile files may claim 65535 program headers

std::string type_name(unsigned type) {
  switch (type) {
    case ET_NONE: return "ET_NONE";
    case ET_REL: return "ET_REL";
    case ET_EXEC: return "ET_EXEC";
    case ET_DYN: return "ET_DYN";
    case ET_CORE: return "ET_CORE";
    default: return "type " + std::to_string(type);
  }
}

std::string machine_name(unsigned machine) {
  switch (machine) {
    case EM_X86_64: return "x86-64";
    case EM_386: return "i386";
    case EM_AARCH64: return "aarch64";
    case EM_RISCV: return "riscv";
    default: return "machine " + std::to_string(machine);
  }
}

std::string flag_string(uint64_t flags) {
  std::string out;
  out += (flags & PF_R) ? 'R' : '-';
  out += (flags & PF_W) ? 'W' : '-';
  out += (flags & PF_X) ? 'X' : '-';
  return out;
}

std::string format(const char* pattern, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char* pattern, ...) {
  char buffer[256];
  va_list args;
  va_start(args, pattern);
  std::vsnprintf(buffer, sizeof buffer, pattern, args);
  va_end(args);
  return buffer;
}

// libelf must be told which ELF version the caller expects before any other call.
bool libelf_ready() {
  static const bool ready = elf_version(EV_CURRENT) != EV_NONE;
  return ready;
}

void describe_with_libelf(std::vector<uint8_t>& copy, std::vector<std::string>& lines) {
  if (!libelf_ready()) {
    lines.push_back("ELF: libelf unavailable");
    return;
  }
  Elf* elf = elf_memory(reinterpret_cast<char*>(copy.data()), copy.size());
  if (elf == nullptr || elf_kind(elf) != ELF_K_ELF) {
    lines.push_back(std::string("ELF: unreadable (") + elf_errmsg(-1) + ")");
    if (elf != nullptr) {
      elf_end(elf);
    }
    return;
  }
  GElf_Ehdr header;
  if (gelf_getehdr(elf, &header) == nullptr) {
    lines.push_back(std::string("ELF: bad header (") + elf_errmsg(-1) + ")");
    elf_end(elf);
    return;
  }
  int elf_class = gelf_getclass(elf);
  lines.push_back(format("ELF%d %s %s entry 0x%" PRIx64, elf_class == ELFCLASS64 ? 64 : 32,
                         type_name(header.e_type).c_str(), machine_name(header.e_machine).c_str(),
                         static_cast<uint64_t>(header.e_entry)));
  size_t count = 0;
  if (elf_getphdrnum(elf, &count) != 0) {
    lines.push_back(std::string("ELF: bad program headers (") + elf_errmsg(-1) + ")");
    elf_end(elf);
    return;
  }
  for (size_t i = 0; i < count && i < kMaxSegmentsShown; ++i) {
    GElf_Phdr segment;
    if (gelf_getphdr(elf, static_cast<int>(i), &segment) == nullptr) {
      lines.push_back(format("program header %zu unreadable (%s)", i, elf_errmsg(-1)));
      break;
    }
    if (segment.p_type != PT_LOAD) {
      continue;
    }
    lines.push_back(
        format("LOAD vaddr 0x%" PRIx64 " memsz 0x%" PRIx64 " filesz 0x%" PRIx64 " %s",
               static_cast<uint64_t>(segment.p_vaddr), static_cast<uint64_t>(segment.p_memsz),
               static_cast<uint64_t>(segment.p_filesz), flag_string(segment.p_flags).c_str()));
  }
  if (count > kMaxSegmentsShown) {
    lines.push_back(format("(%zu program headers; first %zu shown)", count, kMaxSegmentsShown));
  }
  elf_end(elf);
}

}  // namespace

bool looks_like_elf(std::span<const uint8_t> data) {
  return data.size() >= 4 && std::memcmp(data.data(), ELFMAG, SELFMAG) == 0;
}

std::vector<std::string> describe_elf(std::span<const uint8_t> data) {
  std::vector<std::string> lines;
  // libelf wants a writable buffer; never hand it the archive itself.
  std::vector<uint8_t> copy(data.begin(), data.end());
  describe_with_libelf(copy, lines);
  ElfImage image;
  ElfError verdict = validate_elf(data.data(), data.size(), ElfTarget::User, &image);
  lines.push_back(verdict == ElfError::None ? std::string("muOS user program: valid")
                                            : std::string("muOS user program: rejected (") +
                                                  elf_error_string(verdict) + ")");
  return lines;
}

}  // namespace mu::initrd
