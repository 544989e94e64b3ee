// mu-initrd: packs, lists and extracts muOS initrd archives (cpio newc). See initrd/README.md.
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "commands.h"
#include "file_io.h"

namespace {

using mu::initrd::Result;
using mu::initrd::Status;

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

void print_usage(std::ostream& out) {
  out << "usage: mu-initrd pack [-D NAME=VALUE]... [--depfile FILE] <manifest> <out.cpio>\n"
         "       mu-initrd ls <archive>\n"
         "       mu-initrd extract <archive> [dir]\n"
         "\n"
         "pack     build a reproducible cpio newc archive from a manifest (see initrd/README.md);\n"
         "         ${NAME} in source paths is replaced by the -D value\n"
         "ls       list entries (mode, size, path) with ELF type, entry and segments\n"
         "extract  unpack into dir (default: .); absolute paths and '..' are refused\n";
}

int usage_error(const std::string& message) {
  std::cerr << "mu-initrd: " << message << "\n";
  print_usage(std::cerr);
  return kExitUsage;
}

int report(const Status& status) {
  if (status.ok()) {
    return 0;
  }
  std::cerr << "mu-initrd: " << status.error().message << "\n";
  return kExitFailure;
}

int run_pack(const std::vector<std::string_view>& args) {
  mu::initrd::PackOptions options;
  std::vector<std::string_view> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    std::string_view definition;
    if (arg == "-D" || arg == "--depfile") {
      if (i + 1 >= args.size()) {
        return usage_error(std::string(arg) + " needs a value");
      }
      if (arg == "--depfile") {
        options.depfile_path = args[++i];
        continue;
      }
      definition = args[++i];
    } else if (arg.starts_with("-D")) {
      definition = arg.substr(2);
    } else if (arg.starts_with("-") && arg != "-") {
      return usage_error("unknown option '" + std::string(arg) + "'");
    } else {
      positional.push_back(arg);
      continue;
    }
    size_t equals = definition.find('=');
    if (equals == std::string_view::npos || equals == 0) {
      return usage_error("-D expects NAME=VALUE, got '" + std::string(definition) + "'");
    }
    options.variables[std::string(definition.substr(0, equals))] =
        std::string(definition.substr(equals + 1));
  }
  if (positional.size() != 2) {
    return usage_error("pack needs <manifest> and <out.cpio>");
  }
  options.manifest_path = positional[0];
  options.output_path = positional[1];
  return report(mu::initrd::pack(options));
}

int run_list(const std::vector<std::string_view>& args) {
  if (args.size() != 1) {
    return usage_error("ls needs exactly one <archive>");
  }
  std::string name(args[0]);
  Result<std::vector<uint8_t>> archive = mu::initrd::read_file(name);
  if (!archive.ok()) {
    return report(archive.error());
  }
  return report(mu::initrd::list_archive(name, archive.value(), std::cout));
}

int run_extract(const std::vector<std::string_view>& args) {
  if (args.empty() || args.size() > 2) {
    return usage_error("extract needs <archive> and optionally a directory");
  }
  std::string name(args[0]);
  std::string destination = args.size() == 2 ? std::string(args[1]) : std::string(".");
  Result<std::vector<uint8_t>> archive = mu::initrd::read_file(name);
  if (!archive.ok()) {
    return report(archive.error());
  }
  return report(mu::initrd::extract_archive(name, archive.value(), destination, std::cerr));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    return usage_error("missing command");
  }
  std::string_view command = argv[1];
  std::vector<std::string_view> args(argv + 2, argv + argc);
  if (command == "-h" || command == "--help" || command == "help") {
    print_usage(std::cout);
    return 0;
  }
  if (command == "pack") {
    return run_pack(args);
  }
  if (command == "ls" || command == "list") {
    return run_list(args);
  }
  if (command == "extract") {
    return run_extract(args);
  }
  return usage_error("unknown command '" + std::string(command) + "'");
}
