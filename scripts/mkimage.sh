#!/usr/bin/env bash
# Builds the muOS FAT32 ESP image, a GPT disk image holding it, and a plain copy of the ESP tree.
set -euo pipefail

readonly PROGRAM=mkimage
readonly MIB=$((1024 * 1024))
readonly MIN_ESP_MIB=64       # comfortably above FAT32's minimum cluster count
readonly PARTITION_START_MIB=1
readonly SECTOR=512

usage() {
  cat <<EOF
usage: scripts/mkimage.sh --efi BOOTX64.EFI --kernel kernel.elf --initrd initrd.cpio --cfg muboot.cfg
                          [--out-esp esp.img] [--out-disk disk.img] [--esp-dir DIR]

Builds (at least one of):
  --out-esp FILE   FAT32 image (mkfs.fat -F 32, ${MIN_ESP_MIB} MiB or more) containing
                     \\EFI\\BOOT\\BOOTX64.EFI  \\boot\\kernel.elf  \\boot\\initrd.cpio  \\boot\\muboot.cfg
  --out-disk FILE  GPT disk: partition 1 = EFI System (EF00) at ${PARTITION_START_MIB} MiB holding exactly
                   the ESP image's bytes; protective MBR
  --esp-dir DIR    the same files as a directory tree (for 'make usb ESP=...')

Uses mtools and sgdisk only (no loop mounts, no root). Outputs are written to temporary files and
renamed into place after 'fsck.fat -n' finds them clean, so a failure never leaves half an image.
EOF
}

log() { echo "$PROGRAM: $*"; }
die() { echo "$PROGRAM: error: $*" >&2; exit 1; }
usage_error() { echo "$PROGRAM: $*" >&2; usage >&2; exit 2; }

EFI="" KERNEL="" INITRD="" CFG="" OUT_ESP="" OUT_DISK="" ESP_DIR=""
WORK_DIR=""

parse_args() {
  while (($# > 0)); do
    case "$1" in
      --efi|--kernel|--initrd|--cfg|--out-esp|--out-disk|--esp-dir)
        (($# >= 2)) || usage_error "$1 needs a value"
        case "$1" in
          --efi) EFI=$2 ;;
          --kernel) KERNEL=$2 ;;
          --initrd) INITRD=$2 ;;
          --cfg) CFG=$2 ;;
          --out-esp) OUT_ESP=$2 ;;
          --out-disk) OUT_DISK=$2 ;;
          --esp-dir) ESP_DIR=$2 ;;
        esac
        shift 2 ;;
      -h|--help) usage; exit 0 ;;
      *) usage_error "unknown argument '$1'" ;;
    esac
  done
  [[ -n "$OUT_ESP$OUT_DISK$ESP_DIR" ]] || usage_error "nothing to build: give --out-esp, --out-disk and/or --esp-dir"
}

check_inputs() {
  local name value
  for name in efi kernel initrd cfg; do
    case $name in
      efi) value=$EFI ;; kernel) value=$KERNEL ;; initrd) value=$INITRD ;; cfg) value=$CFG ;;
    esac
    [[ -n "$value" ]] || usage_error "missing --$name"
    [[ -e "$value" ]] || die "--$name: '$value' does not exist (run 'make' to build it)"
    [[ -f "$value" ]] || die "--$name: '$value' is not a regular file"
    [[ -r "$value" ]] || die "--$name: '$value' is not readable"
  done
  local tool
  for tool in mkfs.fat fsck.fat mmd mcopy mdir sgdisk dd truncate; do
    command -v "$tool" >/dev/null 2>&1 \
      || die "'$tool' not found; run scripts/deps.sh (packages dosfstools, mtools, gdisk)"
  done
}

file_size() { stat -c %s -- "$1"; }

# ESP size in MiB: at least MIN_ESP_MIB, else the files plus a quarter for FAT overhead and growth.
esp_size_mib() {
  local total=0 file
  for file in "$EFI" "$KERNEL" "$INITRD" "$CFG"; do
    total=$((total + $(file_size "$file")))
  done
  local needed=$(((total + total / 4) / MIB + 8))
  ((needed > MIN_ESP_MIB)) && echo "$needed" || echo "$MIN_ESP_MIB"
}

# fsck.fat -n exits 0 only when the file system is clean; show its report otherwise.
verify_fat() {
  local image=$1 what=$2 report
  if ! report=$(fsck.fat -n "$image" 2>&1); then
    echo "$report" >&2
    die "$what: fsck.fat -n reports errors"
  fi
  if grep -qiE 'differences|dirty|corrupt' <<<"$report"; then
    echo "$report" >&2
    die "$what: fsck.fat -n is not clean"
  fi
}

build_esp_image() {
  local image=$1 size_mib=$2
  log "ESP: FAT32, ${size_mib} MiB"
  truncate -s "$((size_mib * MIB))" "$image"
  mkfs.fat -F 32 -n MUOS -i 4d754f53 "$image" >/dev/null
  export MTOOLS_SKIP_CHECK=1
  mmd -i "$image" ::/EFI ::/EFI/BOOT ::/boot
  mcopy -i "$image" -- "$EFI" ::/EFI/BOOT/BOOTX64.EFI
  mcopy -i "$image" -- "$KERNEL" ::/boot/kernel.elf
  mcopy -i "$image" -- "$INITRD" ::/boot/initrd.cpio
  mcopy -i "$image" -- "$CFG" ::/boot/muboot.cfg
  verify_fat "$image" "ESP image"
  verify_esp_contents "$image" "ESP image"
}

# Reads each file back through mtools and compares it with its source.
verify_esp_contents() {
  local image=$1 what=$2 copy="$WORK_DIR/readback"
  local -a pairs=("$EFI" ::/EFI/BOOT/BOOTX64.EFI "$KERNEL" ::/boot/kernel.elf
                  "$INITRD" ::/boot/initrd.cpio "$CFG" ::/boot/muboot.cfg)
  local i
  for ((i = 0; i < ${#pairs[@]}; i += 2)); do
    rm -f "$copy"
    mcopy -n -i "$image" "${pairs[i + 1]}" "$copy" 2>/dev/null \
      || die "$what: ${pairs[i + 1]} missing"
    cmp -s "$copy" "${pairs[i]}" || die "$what: ${pairs[i + 1]} differs from ${pairs[i]}"
  done
  rm -f "$copy"
}

build_disk_image() {
  local disk=$1 esp=$2
  local esp_bytes first_sector sector_count
  esp_bytes=$(file_size "$esp")
  first_sector=$((PARTITION_START_MIB * MIB / SECTOR))
  sector_count=$((esp_bytes / SECTOR))
  # 1 MiB in front for the protective MBR and primary GPT, 1 MiB behind for the backup GPT.
  log "disk: GPT, $(((esp_bytes + 2 * MIB) / MIB)) MiB, partition 1 = ESP at ${PARTITION_START_MIB} MiB"
  truncate -s "$((esp_bytes + 2 * MIB))" "$disk"
  sgdisk --clear \
    --new="1:${first_sector}:$((first_sector + sector_count - 1))" \
    --typecode=1:EF00 --change-name='1:EFI System' "$disk" >/dev/null \
    || die "sgdisk could not partition the disk image"
  dd if="$esp" of="$disk" bs=1M seek="$PARTITION_START_MIB" conv=notrunc status=none
  verify_disk_image "$disk" "$esp" "$first_sector" "$sector_count"
}

verify_disk_image() {
  local disk=$1 esp=$2 first_sector=$3 sector_count=$4
  local report
  report=$(sgdisk --verify "$disk" 2>&1) || { echo "$report" >&2; die "disk image: sgdisk --verify failed"; }
  grep -q 'No problems found' <<<"$report" || { echo "$report" >&2; die "disk image: GPT has problems"; }
  local partition="$WORK_DIR/partition.img"
  dd if="$disk" of="$partition" bs=1M skip="$PARTITION_START_MIB" \
     count="$((sector_count * SECTOR / MIB))" status=none
  cmp -s "$partition" "$esp" || die "disk image: partition 1 does not hold the ESP image's bytes"
  verify_fat "$partition" "disk image partition 1"
  # The same check through mtools' partition offset syntax, as firmware would see it.
  MTOOLS_SKIP_CHECK=1 mdir -i "$disk@@$((first_sector * SECTOR))" ::/EFI/BOOT >/dev/null \
    || die "disk image: mtools cannot read the ESP at offset $((first_sector * SECTOR))"
  rm -f "$partition"
}

# Refuses to replace an existing --esp-dir unless it only holds what this script puts there.
check_replaceable_esp_dir() {
  local dir=$1 entry
  [[ -e "$dir" ]] || return 0
  [[ -d "$dir" && ! -L "$dir" ]] || die "--esp-dir '$dir' exists and is not a directory"
  for entry in "$dir"/* "$dir"/.[!.]*; do
    [[ -e "$entry" ]] || continue
    case "${entry##*/}" in
      EFI|boot) ;;
      *) die "--esp-dir '$dir' holds '${entry##*/}', which mkimage did not create; refusing to replace it" ;;
    esac
  done
}

build_esp_dir() {
  local dir=$1 staging
  check_replaceable_esp_dir "$dir"
  staging=$(mktemp -d "$(dirname -- "$dir")/.esp-dir.XXXXXX")
  mkdir -p "$staging/EFI/BOOT" "$staging/boot"
  cp -- "$EFI" "$staging/EFI/BOOT/BOOTX64.EFI"
  cp -- "$KERNEL" "$staging/boot/kernel.elf"
  cp -- "$INITRD" "$staging/boot/initrd.cpio"
  cp -- "$CFG" "$staging/boot/muboot.cfg"
  chmod 755 "$staging"
  if [[ -e "$dir" ]]; then
    local old="$staging.old"
    mv -- "$dir" "$old"
    mv -- "$staging" "$dir"
    rm -rf -- "$old"
  else
    mv -- "$staging" "$dir"
  fi
  log "ESP tree: $dir"
}

cleanup() {
  [[ -n "$WORK_DIR" && -d "$WORK_DIR" ]] && rm -rf -- "$WORK_DIR"
  return 0
}

# A directory for temporary files on the same file system as `path`, so rename is atomic.
work_dir_near() {
  mktemp -d "$(dirname -- "$1")/.mkimage.XXXXXX"
}

main() {
  parse_args "$@"
  check_inputs
  local output
  for output in "$OUT_ESP" "$OUT_DISK" "$ESP_DIR"; do
    [[ -z "$output" ]] || [[ -d "$(dirname -- "$output")" ]] \
      || die "output directory '$(dirname -- "$output")' does not exist"
  done
  [[ -z "$ESP_DIR" ]] || check_replaceable_esp_dir "$ESP_DIR"
  WORK_DIR=$(work_dir_near "${OUT_ESP:-${OUT_DISK:-$ESP_DIR}}")
  trap cleanup EXIT

  local esp="$WORK_DIR/esp.img" disk="$WORK_DIR/disk.img"
  if [[ -n "$OUT_ESP$OUT_DISK" ]]; then
    build_esp_image "$esp" "$(esp_size_mib)"
  fi
  if [[ -n "$OUT_DISK" ]]; then
    build_disk_image "$disk" "$esp"
  fi
  # Everything verified: move the results into place.
  if [[ -n "$ESP_DIR" ]]; then
    build_esp_dir "$ESP_DIR"
  fi
  if [[ -n "$OUT_DISK" ]]; then
    mv -f -- "$disk" "$OUT_DISK.tmp.$$" && mv -f -- "$OUT_DISK.tmp.$$" "$OUT_DISK"
    log "disk image: $OUT_DISK"
  fi
  if [[ -n "$OUT_ESP" ]]; then
    mv -f -- "$esp" "$OUT_ESP.tmp.$$" && mv -f -- "$OUT_ESP.tmp.$$" "$OUT_ESP"
    log "ESP image: $OUT_ESP"
  fi
}

main "$@"
