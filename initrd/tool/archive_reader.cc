// Reads every entry of a cpio newc archive, turning reader errors into messages with offsets.
#include "archive_reader.h"

namespace mu::initrd {

Result<std::vector<CpioEntry>> read_entries(const std::string& archive_name,
                                            std::span<const uint8_t> archive) {
  std::vector<CpioEntry> entries;
  CpioReader reader(archive.data(), archive.size());
  for (;;) {
    size_t header_offset = reader.offset();
    CpioEntry entry{};
    CpioError error = reader.next(&entry);
    if (error == CpioError::End) {
      return entries;
    }
    if (error != CpioError::None) {
      return Error{archive_name + ": corrupt archive: " + cpio_error_string(error) + " at offset " +
                   std::to_string(header_offset)};
    }
    entries.push_back(entry);
  }
}

}  // namespace mu::initrd
