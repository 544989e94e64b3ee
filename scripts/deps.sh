#!/usr/bin/env bash
# Installs the Debian packages muOS needs to build, test and run, installing only what is missing.
set -euo pipefail

# The one list of packages the build, the tests and the scripts/ tools rely on.
# (qemu-system-gui: the QEMU window for make run; util-linux: lsblk/findmnt for usb-write.sh;
# coreutils: dd; python3: system tests and lsblk JSON parsing.)
readonly REQUIRED_PACKAGES=(
  build-essential cmake gnu-efi
  mtools dosfstools gdisk
  ovmf qemu-system-x86 qemu-system-gui qemu-utils
  libelf-dev googletest libgtest-dev
  cpio libarchive-tools
  console-setup-linux python3
  util-linux coreutils
)

# Commands the Makefile needs before it can configure CMake.
readonly BUILD_COMMANDS=(cmake g++ make)

usage() {
  cat <<EOF
usage: scripts/deps.sh [--check-build-only] [--list] [-h|--help]

Checks that every Debian package muOS needs is installed and installs only the missing ones
(apt-get, as root or through passwordless sudo). Safe to run any number of times.

  --check-build-only  only check that ${BUILD_COMMANDS[*]} exist (exit 0 or 1); installs nothing
  --list              print the required packages, one per line
EOF
}

log() { echo "deps: $*"; }
die() { echo "deps: error: $*" >&2; exit 1; }

# Succeeds when `package` is fully installed according to dpkg.
package_installed() {
  local status
  status=$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) || return 1
  [[ "$status" == installed ]]
}

# Prints the packages from REQUIRED_PACKAGES that are not installed, one per line.
missing_packages() {
  local package
  for package in "${REQUIRED_PACKAGES[@]}"; do
    package_installed "$package" || echo "$package"
  done
}

check_build_commands() {
  local missing=() command
  for command in "${BUILD_COMMANDS[@]}"; do
    command -v "$command" >/dev/null 2>&1 || missing+=("$command")
  done
  if ((${#missing[@]} > 0)); then
    echo "deps: missing build tools: ${missing[*]}" >&2
    echo "deps: run 'make deps' (or scripts/deps.sh) to install the required packages" >&2
    exit 1
  fi
}

# Prints the command prefix that gives root (empty when already root); fails if there is none.
root_prefix() {
  if [[ $(id -u) -eq 0 ]]; then
    echo ""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo "sudo"
  else
    return 1
  fi
}

install_packages() {
  local prefix
  if ! prefix=$(root_prefix); then
    echo "deps: missing packages: $*" >&2
    echo "deps: not root and no passwordless sudo; install them with:" >&2
    echo "  sudo apt-get install --no-install-recommends $*" >&2
    exit 1
  fi
  local -a as_root=()
  [[ -n "$prefix" ]] && as_root=("$prefix")
  log "missing $#: $*"
  log "updating package lists (apt-get update)..."
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q update \
    || die "apt-get update failed"
  log "installing $# package(s); this can take a few minutes..."
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get -q -y --no-install-recommends install "$@" \
    || die "apt-get install failed"
  local still_missing
  still_missing=$(missing_packages | tr '\n' ' ')
  [[ -z "$still_missing" ]] || die "still missing after install: $still_missing"
  log "installed: $*"
}

main() {
  case "${1:-}" in
    "") ;;
    --check-build-only) check_build_commands; exit 0 ;;
    --list) printf '%s\n' "${REQUIRED_PACKAGES[@]}"; exit 0 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
  (($# <= 1)) || { usage >&2; exit 2; }
  command -v dpkg-query >/dev/null 2>&1 || die "dpkg-query not found: this script is for Debian"

  local -a missing
  mapfile -t missing < <(missing_packages)
  if ((${#missing[@]} == 0)); then
    log "all ${#REQUIRED_PACKAGES[@]} packages present"
    exit 0
  fi
  install_packages "${missing[@]}"
}

main "$@"
