#!/usr/bin/env bash
# Writes the muOS disk image to a USB stick (--dev), or copies the ESP files onto a mounted FAT stick (--esp).
set -euo pipefail

readonly PROGRAM=usb-write

usage() {
  cat <<'EOF'
usage: scripts/usb-write.sh --image build/disk.img --esp-dir build/esp
                            (--dev /dev/sdX | --esp /mount/point) [--yes]

  --dev DEV   overwrite the whole disk DEV with the image (dd). Refused unless DEV is a whole,
              removable disk (lsblk RM=1, or TRAN=usb: many USB SSDs report RM=0), none of its
              partitions is mounted, and it holds neither / nor /boot of the running system.
  --esp DIR   copy EFI/BOOT/BOOTX64.EFI and boot/* from --esp-dir onto the FAT file system
              mounted at DIR (must be the mount point of a vfat mount); other files are kept.
  --yes       do not ask for confirmation

Make: make usb DEV=/dev/sdX   or   make usb ESP=/media/$USER/STICK   (add YES=1 to skip the prompt)

Test hooks (all system probing goes through them):
  MU_LSBLK_FIXTURE=FILE      read 'lsblk -J -b -o NAME,PATH,TYPE,RM,SIZE,MODEL,TRAN,MOUNTPOINTS,PKNAME'
                             output from FILE instead of running lsblk
  MU_ROOT_DISK_FIXTURE=FILE  whole disks backing / and /boot, one path per line
  MU_BLOCKDEV_FIXTURE=1|P:Q  treat every existing path (1) or the listed paths as block devices
  MU_FINDMNT_FIXTURE=FILE    'TARGET FSTYPE' of the mount holding --esp, instead of findmnt -T
EOF
}

log() { echo "$PROGRAM: $*" >&2; }
die() { echo "$PROGRAM: error: $*" >&2; exit 1; }
refuse() { echo "$PROGRAM: refusing $TARGET_NAME: $*" >&2; exit 1; }
usage_error() { echo "$PROGRAM: $*" >&2; usage >&2; exit 2; }

IMAGE="" ESP_DIR="" DEV="" ESP_MOUNT="" ASSUME_YES=0 TARGET_NAME=""

parse_args() {
  while (($# > 0)); do
    case "$1" in
      --image|--esp-dir|--dev|--esp)
        (($# >= 2)) || usage_error "$1 needs a value"
        case "$1" in
          --image) IMAGE=$2 ;;
          --esp-dir) ESP_DIR=$2 ;;
          --dev) DEV=$2 ;;
          --esp) ESP_MOUNT=$2 ;;
        esac
        shift 2 ;;
      --yes) ASSUME_YES=1; shift ;;
      -h|--help) usage; exit 0 ;;
      *) usage_error "unknown argument '$1'" ;;
    esac
  done
  if [[ -z "$DEV" && -z "$ESP_MOUNT" ]]; then
    usage_error "say where to write: --dev /dev/sdX (make usb DEV=...) or --esp /mount/point (make usb ESP=...)"
  fi
  [[ -z "$DEV" || -z "$ESP_MOUNT" ]] || usage_error "give either --dev or --esp, not both"
}

# ---- System probes: the only functions that look at the machine; tests replace them by fixtures.

probe_lsblk_json() {
  if [[ -n "${MU_LSBLK_FIXTURE:-}" ]]; then
    cat -- "$MU_LSBLK_FIXTURE"
  else
    lsblk -J -b -o NAME,PATH,TYPE,RM,SIZE,MODEL,TRAN,MOUNTPOINTS,PKNAME
  fi
}

# Whole disks that back / and /boot (through partitions, LVM, dm-crypt...), one per line.
probe_root_disks() {
  if [[ -n "${MU_ROOT_DISK_FIXTURE:-}" ]]; then
    cat -- "$MU_ROOT_DISK_FIXTURE"
    return
  fi
  local mount source
  for mount in / /boot /boot/efi; do
    source=$(findmnt -n -o SOURCE --target "$mount" 2>/dev/null) || continue
    source=${source%%\[*}  # btrfs subvolumes: /dev/sda2[/@]
    [[ -b "$source" ]] || continue
    # -s walks from the device down to what it is built on; keep the whole disks.
    lsblk -n -s -p -o PATH,TYPE -- "$source" 2>/dev/null | awk '$2 == "disk" { print $1 }'
  done | sort -u
}

probe_is_block_device() {
  local path=$1 fixture=${MU_BLOCKDEV_FIXTURE:-}
  if [[ -n "$fixture" ]]; then
    [[ "$fixture" == 1 ]] && return 0
    [[ ":$fixture:" == *":$path:"* ]] && return 0
  fi
  [[ -b "$path" ]]
}

# Prints "TARGET FSTYPE" of the mount containing the directory.
probe_mount_of() {
  if [[ -n "${MU_FINDMNT_FIXTURE:-}" ]]; then
    cat -- "$MU_FINDMNT_FIXTURE"
  else
    findmnt -n -o TARGET,FSTYPE -T "$1"
  fi
}

# ---- Device checks.

# Prints shell assignments (DEV_TYPE, DEV_RM, ...) describing `path` from the lsblk JSON on stdin.
describe_device() {
  python3 -c '
import json, shlex, sys
path = sys.argv[1]
tree = json.load(sys.stdin).get("blockdevices", [])

def walk(nodes, parent):
    for node in nodes or []:
        yield node, parent
        yield from walk(node.get("children"), node)

def mounts(node):
    found = [(node.get("path") or node.get("name"), m)
             for m in (node.get("mountpoints") or []) if m]
    if node.get("mountpoint"):
        found.append((node.get("path") or node.get("name"), node["mountpoint"]))
    for child in node.get("children") or []:
        found += mounts(child)
    return found

for node, parent in walk(tree, None):
    if node.get("path") != path:
        continue
    rm = node.get("rm")
    fields = {
        "DEV_FOUND": "1",
        "DEV_TYPE": node.get("type") or "",
        "DEV_RM": "1" if rm in (True, 1, "1") else "0",
        "DEV_SIZE": str(node.get("size") or 0),
        "DEV_MODEL": (node.get("model") or "").strip(),
        "DEV_TRAN": node.get("tran") or "",
        "DEV_PARENT": node.get("pkname") or (parent or {}).get("name") or "",
        "DEV_MOUNTS": ", ".join(f"{dev} on {mnt}" for dev, mnt in mounts(node)),
    }
    for key, value in fields.items():
        print(f"{key}={shlex.quote(value)}")
    break
else:
    print("DEV_FOUND=0")
' "$1"
}

human_size() {
  awk -v bytes="$1" 'BEGIN { printf "%.1f GB (%s bytes)\n", bytes / 1e9, bytes }'
}

# Refuses `DEV` with the specific reason unless it is safe to overwrite; sets DEV_* globals.
check_device() {
  local path=$1
  [[ -e "$path" ]] || refuse "it does not exist"
  if ! probe_is_block_device "$path"; then
    if [[ -f "$path" ]]; then
      refuse "it is a regular file, not a block device (the image itself is --image)"
    elif [[ -c "$path" ]]; then
      refuse "it is a character device, not a block device"
    elif [[ -d "$path" ]]; then
      refuse "it is a directory, not a block device (to copy files onto a mounted stick use --esp)"
    else
      refuse "it is not a block device"
    fi
  fi
  local description
  description=$(probe_lsblk_json | describe_device "$path") || die "cannot read lsblk output"
  eval "$description"
  [[ "$DEV_FOUND" == 1 ]] || refuse "lsblk does not list it"
  if [[ "$DEV_TYPE" == part ]]; then
    refuse "it is a partition, not a whole disk; use the disk itself (/dev/${DEV_PARENT:-sdX})"
  fi
  [[ "$DEV_TYPE" == disk ]] || refuse "it is a '$DEV_TYPE' device, not a whole disk"
  local root_disk
  while IFS= read -r root_disk; do
    [[ -n "$root_disk" ]] || continue
    if [[ "$(readlink -f -- "$root_disk" 2>/dev/null || echo "$root_disk")" == "$path" ]]; then
      refuse "it holds the running system's root or /boot file system"
    fi
  done < <(probe_root_disks)
  [[ -z "$DEV_MOUNTS" ]] || refuse "it has mounted file systems ($DEV_MOUNTS); unmount them first"
  if [[ "$DEV_RM" != 1 && "$DEV_TRAN" != usb ]]; then
    refuse "it is not removable (RM=0) and not attached over USB (TRAN=${DEV_TRAN:-none})"
  fi
}

# Asks the person to type YES; anything else aborts. --yes skips the question.
confirm() {
  local question=$1 answer=""
  ((ASSUME_YES)) && return 0
  printf '%s: type YES to %s: ' "$PROGRAM" "$question" >&2
  read -r answer || true
  [[ "$answer" == YES ]] || { log "aborted; nothing written"; exit 1; }
}

# O_DIRECT avoids filling the page cache with the whole image, but not every target supports it.
direct_io_supported() {
  dd if=/dev/null of="$1" oflag=direct conv=notrunc count=0 status=none 2>/dev/null
}

write_device() {
  local image_size
  image_size=$(stat -L -c %s -- "$IMAGE")
  if [[ "$DEV_SIZE" =~ ^[0-9]+$ ]] && ((DEV_SIZE > 0 && image_size > DEV_SIZE)); then
    refuse "it is smaller ($(human_size "$DEV_SIZE")) than the image ($(human_size "$image_size"))"
  fi
  [[ -w "$DEV" ]] || die "no permission to write $DEV; run as root (sudo make usb DEV=$DEV)"

  echo "  device:    $DEV" >&2
  echo "  model:     ${DEV_MODEL:-unknown}" >&2
  echo "  size:      $(human_size "$DEV_SIZE")" >&2
  echo "  transport: ${DEV_TRAN:-unknown}" >&2
  echo "  image:     $IMAGE ($(human_size "$image_size"))" >&2
  log "everything on $DEV will be lost"
  confirm "overwrite $DEV"

  local -a flags=(bs=4M conv=fsync status=progress)
  direct_io_supported "$DEV" && flags+=(oflag=direct)
  log "writing $IMAGE to $DEV"
  dd if="$IMAGE" of="$DEV" "${flags[@]}"
  sync
  log "done; $DEV can be removed"
}

# ---- ESP copy mode.

check_esp_mount() {
  local dir=$1 mount target fstype resolved
  [[ -e "$dir" ]] || refuse "it does not exist"
  [[ -d "$dir" ]] || refuse "it is not a directory"
  resolved=$(readlink -f -- "$dir")
  mount=$(probe_mount_of "$resolved") || refuse "findmnt cannot find its mount"
  read -r target fstype <<<"$mount"
  [[ "$fstype" == vfat ]] || refuse "it is on a '$fstype' file system, not vfat (FAT32)"
  [[ "$target" == "$resolved" ]] \
    || refuse "it is not a mount point (it is inside the mount $target); give the mount point"
  [[ -w "$resolved" ]] || die "no permission to write $resolved"
}

# Source and destination pairs, relative to --esp-dir and the mount.
esp_files() {
  echo EFI/BOOT/BOOTX64.EFI
  local file
  for file in "$ESP_DIR"/boot/*; do
    [[ -f "$file" ]] && echo "boot/${file##*/}"
  done
  return 0
}

copy_to_esp() {
  local mount=$1 relative replaced=()
  local -a files
  mapfile -t files < <(esp_files)
  for relative in "${files[@]}"; do
    [[ -f "$ESP_DIR/$relative" ]] || die "$ESP_DIR/$relative is missing; run 'make' first"
    if [[ -e "$mount/$relative" ]] && ! cmp -s "$ESP_DIR/$relative" "$mount/$relative"; then
      replaced+=("$relative")
    fi
  done
  if ((${#replaced[@]} > 0)); then
    log "these files on $mount will be replaced: ${replaced[*]}"
    confirm "replace them"
  fi
  for relative in "${files[@]}"; do
    mkdir -p -- "$mount/$(dirname -- "$relative")"
    # Copy under a temporary name first so an interrupted copy never leaves a truncated file.
    cp -- "$ESP_DIR/$relative" "$mount/$relative.mu-new"
    mv -f -- "$mount/$relative.mu-new" "$mount/$relative"
    log "copied $relative"
  done
  sync
  log "done; unmount $mount before removing the stick"
}

main() {
  parse_args "$@"
  if [[ -n "$DEV" ]]; then
    [[ -n "$IMAGE" ]] || usage_error "--image is required with --dev"
    [[ -f "$IMAGE" ]] || die "image '$IMAGE' not found; run 'make' first"
    TARGET_NAME=$DEV
    # /dev/disk/by-id/... links name the same disk as /dev/sdX.
    if [[ -e "$DEV" ]]; then
      DEV=$(readlink -f -- "$DEV")
    fi
    check_device "$DEV"
    write_device
  else
    [[ -n "$ESP_DIR" ]] || usage_error "--esp-dir is required with --esp"
    [[ -d "$ESP_DIR" ]] || die "ESP tree '$ESP_DIR' not found; run 'make' first"
    TARGET_NAME=$ESP_MOUNT
    check_esp_mount "$ESP_MOUNT"
    copy_to_esp "$(readlink -f -- "$ESP_MOUNT")"
  fi
}

main "$@"
