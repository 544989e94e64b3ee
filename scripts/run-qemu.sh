#!/usr/bin/env bash
# Starts muOS in QEMU (q35, OVMF, TCG): the one place that knows the QEMU command line.
# shellcheck disable=SC2054  # commas inside QEMU option values are intended
set -euo pipefail

readonly PROGRAM=run-qemu
readonly BUILD_DIR=${BUILD:-build}
readonly QEMU_BIN=${QEMU:-qemu-system-x86_64}
readonly OVMF_DIR=${OVMF_DIR:-/usr/share/OVMF}
readonly OVMF_CODE=$OVMF_DIR/OVMF_CODE_4M.fd
readonly OVMF_VARS_TEMPLATE=$OVMF_DIR/OVMF_VARS_4M.fd

usage() {
  cat <<EOF
usage: scripts/run-qemu.sh --disk IMG [options] [-- extra QEMU args]

  --disk IMG       raw GPT disk image to boot (e.g. $BUILD_DIR/disk.img); required
  --headless       no window (-display none); serial stays on this terminal
  --debug          start halted with a gdb stub on :1234 (-s -S) and print the gdb command
  --test           for automated tests: isa-debug-exit at port 0xf4, -no-reboot, plain serial
  --icount         deterministic instruction counting (-icount shift=0,sleep=off): rdtsc
                   differences are exact guest instruction counts
  --memory MIB     guest RAM in MiB (default 256)
  --vars FILE      OVMF variable store to use (default $BUILD_DIR/ovmf_vars.fd, created from
                   $OVMF_VARS_TEMPLATE when missing)
  --monitor SOCK   QEMU monitor on unix socket SOCK (e.g. socat - UNIX-CONNECT:SOCK)
  --serial-stdio   serial port on this terminal (the default). Interactive: -serial mon:stdio,
                   Ctrl-A X quits, Ctrl-A C toggles the monitor; with --test or when stdin is
                   not a terminal: -serial stdio
  --print-cmd      print the QEMU command line before starting it
  --dry-run        print the QEMU command line and exit without starting it

Environment: BUILD (build directory, default build), QEMU (binary), OVMF_DIR.
EOF
}

log() { echo "$PROGRAM: $*" >&2; }
die() { echo "$PROGRAM: error: $*" >&2; exit 1; }
usage_error() { echo "$PROGRAM: $*" >&2; usage >&2; exit 2; }

DISK="" HEADLESS=0 DEBUG=0 TEST=0 ICOUNT=0 MEMORY_MIB=256 VARS="" MONITOR=""
PRINT_CMD=0 DRY_RUN=0
EXTRA_ARGS=()

parse_args() {
  while (($# > 0)); do
    case "$1" in
      --disk|--memory|--vars|--monitor)
        (($# >= 2)) || usage_error "$1 needs a value"
        case "$1" in
          --disk) DISK=$2 ;;
          --memory) MEMORY_MIB=$2 ;;
          --vars) VARS=$2 ;;
          --monitor) MONITOR=$2 ;;
        esac
        shift 2 ;;
      --headless) HEADLESS=1; shift ;;
      --debug) DEBUG=1; shift ;;
      --test) TEST=1; shift ;;
      --icount) ICOUNT=1; shift ;;
      --serial-stdio) shift ;;
      --print-cmd) PRINT_CMD=1; shift ;;
      --dry-run) DRY_RUN=1; shift ;;
      -h|--help) usage; exit 0 ;;
      --) shift; EXTRA_ARGS=("$@"); break ;;
      *) usage_error "unknown argument '$1' (QEMU arguments go after --)" ;;
    esac
  done
  [[ -n "$DISK" ]] || usage_error "--disk is required"
  [[ "$MEMORY_MIB" =~ ^[1-9][0-9]*$ ]] || usage_error "--memory expects MiB as a number, got '$MEMORY_MIB'"
  VARS=${VARS:-$BUILD_DIR/ovmf_vars.fd}
}

check_environment() {
  command -v "$QEMU_BIN" >/dev/null 2>&1 \
    || die "'$QEMU_BIN' not found; run scripts/deps.sh (package qemu-system-x86)"
  [[ -r "$OVMF_CODE" ]] || die "$OVMF_CODE not found; run scripts/deps.sh (package ovmf)"
  [[ -e "$DISK" ]] || die "disk image '$DISK' does not exist; run 'make' to build it"
  [[ -f "$DISK" && -r "$DISK" ]] || die "disk image '$DISK' is not a readable file"
}

# Each run keeps its own copy of the OVMF variable store (boot entries, settings).
ensure_vars_file() {
  [[ -e "$VARS" ]] && return 0
  [[ -r "$OVMF_VARS_TEMPLATE" ]] || die "$OVMF_VARS_TEMPLATE not found; run scripts/deps.sh (package ovmf)"
  mkdir -p -- "$(dirname -- "$VARS")"
  cp -- "$OVMF_VARS_TEMPLATE" "$VARS"
  log "created OVMF variable store $VARS"
}

# Succeeds when a graphical session looks reachable: a Wayland socket, a local X socket, or a
# remote X display (host:N, e.g. ssh forwarding, which cannot be probed cheaply).
display_reachable() {
  if [[ -n "${WAYLAND_DISPLAY:-}" ]]; then
    local socket=$WAYLAND_DISPLAY
    [[ "$socket" == /* ]] || socket="${XDG_RUNTIME_DIR:-/run/user/$(id -u)}/$socket"
    [[ -S "$socket" ]] && return 0
  fi
  local display=${DISPLAY:-}
  [[ -n "$display" ]] || return 1
  if [[ "$display" == :* ]]; then
    local number=${display#:}
    number=${number%%.*}
    [[ -S "/tmp/.X11-unix/X$number" ]]
    return
  fi
  return 0
}

# Debian's QEMU lists every display backend but loads each from a module (package
# qemu-system-gui); without the module QEMU would fail at start-up.
display_module_present() {
  local module_dir
  local -a modules
  for module_dir in /usr/lib/*/qemu /usr/lib/qemu; do
    modules=("$module_dir"/ui-*.so)
    [[ -e "${modules[0]}" ]] || continue  # not QEMU's module directory (e.g. /usr/lib/ipxe/qemu)
    [[ -e "$module_dir/ui-$1.so" ]] && return 0
    return 1
  done
  return 0  # not a modular build: the backend is built in
}

# Prints the -display argument: a window when one can be shown, else none.
display_args() {
  if ((HEADLESS)); then
    echo "none"
    return
  fi
  if display_reachable; then
    local available
    available=$("$QEMU_BIN" -display help 2>/dev/null || true)
    local backend
    for backend in gtk sdl; do
      if grep -qx "$backend" <<<"$available" && display_module_present "$backend"; then
        echo "$backend"
        return
      fi
    done
    log "note: no GTK/SDL display in this QEMU build (install qemu-system-gui); running headless"
  else
    log "note: no usable \$DISPLAY or \$WAYLAND_DISPLAY; running headless (serial on this terminal)"
  fi
  echo "none"
}

serial_args() {
  if ((TEST)) || [[ ! -t 0 ]]; then
    echo "stdio"
  else
    echo "mon:stdio"
  fi
}

print_debug_help() {
  local gdb_cmd="gdb -ex 'target remote :1234' -ex 'symbol-file $BUILD_DIR/kernel/kernel.elf' -ex 'add-symbol-file $BUILD_DIR/bootloader/muboot.so -o <image base>'"
  cat >&2 <<EOF
$PROGRAM: QEMU is halted at the first instruction, waiting for gdb on localhost:1234:
  $gdb_cmd
$PROGRAM: the kernel is linked at fixed addresses, so its symbols work as they are. muboot is
  loaded wherever the firmware chooses: continue once and read the line
  "muboot: image base 0x... (gdb: add-symbol-file ... -o 0x...)" on the serial port, then
  interrupt and run that add-symbol-file command (Debian's OVMF logs nothing itself).
EOF
}

build_command() {
  QEMU_CMD=(
    "$QEMU_BIN"
    -machine q35 -accel tcg -cpu max -m "$MEMORY_MIB"
    -drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE"
    -drive "if=pflash,format=raw,unit=1,file=$VARS"
    # virtio 1.0 modern-only device (what muOS's virtio-blk driver speaks); OVMF boots from it.
    -drive "format=raw,file=$DISK,if=none,id=disk0"
    -device virtio-blk-pci,drive=disk0,disable-legacy=on,bootindex=0
    -nic none
    -display "$(display_args)"
    -serial "$(serial_args)"
  )
  if [[ -n "$MONITOR" ]]; then
    QEMU_CMD+=(-monitor "unix:$MONITOR,server=on,wait=off")
  else
    QEMU_CMD+=(-monitor none)
  fi
  ((TEST)) && QEMU_CMD+=(-device isa-debug-exit,iobase=0xf4,iosize=0x04 -no-reboot)
  ((ICOUNT)) && QEMU_CMD+=(-icount shift=0,sleep=off)
  ((DEBUG)) && QEMU_CMD+=(-s -S)
  QEMU_CMD+=("${EXTRA_ARGS[@]}")
}

# Prints QEMU_CMD so it can be pasted into a shell (quoting only words that need it).
print_command() {
  local line="" word quoted
  for word in "${QEMU_CMD[@]}"; do
    if [[ "$word" =~ ^[A-Za-z0-9_./:=,@+%-]+$ ]]; then
      quoted=$word
    else
      printf -v quoted '%q' "$word"
    fi
    line+="${line:+ }$quoted"
  done
  echo "$line" >&2
}

main() {
  parse_args "$@"
  check_environment
  ensure_vars_file
  build_command
  if ((DRY_RUN)); then
    print_command
    exit 0
  fi
  ((PRINT_CMD)) && print_command
  ((DEBUG)) && print_debug_help
  if ((!TEST)) && [[ -t 0 ]]; then
    log "serial on this terminal: Ctrl-A X quits QEMU, Ctrl-A C toggles the monitor"
  fi
  exec "${QEMU_CMD[@]}"
}

main "$@"
