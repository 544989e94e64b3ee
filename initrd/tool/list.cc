// `mu-initrd ls`: one line per archive entry, with ELF details from libelf for ELF files.
#include <cinttypes>
#include <cstdio>
#include <string_view>

#include "archive_path.h"
#include "archive_reader.h"
#include "commands.h"
#include "elf_summary.h"

namespace mu::initrd {

std::string mode_string(uint32_t mode) {
  std::string out(10, '-');
  switch (mode & 0170000) {
    case 0040000: out[0] = 'd'; break;
    case 0120000: out[0] = 'l'; break;
    case 0020000: out[0] = 'c'; break;
    case 0060000: out[0] = 'b'; break;
    case 0010000: out[0] = 'p'; break;
    case 0140000: out[0] = 's'; break;
    case 0100000: out[0] = '-'; break;
    default: out[0] = '?'; break;
  }
  const char letters[] = "rwxrwxrwx";
  for (int bit = 0; bit < 9; ++bit) {
    if (mode & (0400u >> bit)) {
      out[static_cast<size_t>(bit) + 1] = letters[bit];
    }
  }
  // setuid, setgid, sticky replace the execute letters like ls does.
  if (mode & 04000) out[3] = (mode & 0100) ? 's' : 'S';
  if (mode & 02000) out[6] = (mode & 0010) ? 's' : 'S';
  if (mode & 01000) out[9] = (mode & 0001) ? 't' : 'T';
  return out;
}

Status list_archive(const std::string& archive_name, std::span<const uint8_t> archive,
                    std::ostream& out) {
  Result<std::vector<CpioEntry>> entries = read_entries(archive_name, archive);
  if (!entries.ok()) {
    return entries.error();
  }
  for (const CpioEntry& entry : entries.value()) {
    char size[32];
    std::snprintf(size, sizeof size, "%10" PRIu64, entry.size);
    out << mode_string(entry.mode) << ' ' << size << ' '
        << printable_path(std::string_view(entry.name, entry.name_length)) << '\n';
    std::span<const uint8_t> data(entry.data, static_cast<size_t>(entry.size));
    if ((entry.mode & kCpioModeTypeMask) == kCpioModeRegular && looks_like_elf(data)) {
      for (const std::string& line : describe_elf(data)) {
        out << "    " << line << '\n';
      }
    }
  }
  return Ok{};
}

}  // namespace mu::initrd
