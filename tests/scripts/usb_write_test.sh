#!/usr/bin/env bash
# Tests scripts/usb-write.sh's safety rules with lsblk/root-disk/findmnt fixtures and temp files as disks.
set -euo pipefail

SCRIPT=${1:?usage: usb_write_test.sh path/to/usb-write.sh}
source "$(dirname -- "$0")/lib.sh"

T=$TEST_TMP
mkdir -p "$T/esp/EFI/BOOT" "$T/esp/boot" "$T/mnt" "$T/ext4"
head -c 65536 /dev/urandom >"$T/disk.img"
echo efi >"$T/esp/EFI/BOOT/BOOTX64.EFI"
echo kernel >"$T/esp/boot/kernel.elf"
echo cfg >"$T/esp/boot/muboot.cfg"
# Fake disks: files filled with a pattern, so a write would be visible.
for dev in sda sdb sdb1 sdc sdc1 sdd small; do
  head -c 1048576 /dev/zero | tr '\0' 'Z' >"$T/$dev"
done
cp "$T/sdb" "$T/pristine"
echo "plain file" >"$T/regular"

cat >"$T/lsblk.json" <<JSON
{"blockdevices": [
  {"name": "sda", "path": "$T/sda", "type": "disk", "rm": false, "size": 500107862016,
   "model": "Samsung SSD 870", "tran": "sata", "mountpoints": [null], "pkname": null},
  {"name": "sdb", "path": "$T/sdb", "type": "disk", "rm": true, "size": 1048576,
   "model": "SanDisk Cruzer", "tran": "usb", "mountpoints": [null], "pkname": null,
   "children": [
     {"name": "sdb1", "path": "$T/sdb1", "type": "part", "rm": true, "size": 1000000,
      "model": null, "tran": null, "mountpoints": [null], "pkname": "sdb"}]},
  {"name": "sdc", "path": "$T/sdc", "type": "disk", "rm": false, "size": 1048576,
   "model": "USB SSD", "tran": "usb", "mountpoints": [null], "pkname": null,
   "children": [
     {"name": "sdc1", "path": "$T/sdc1", "type": "part", "rm": false, "size": 1000000,
      "model": null, "tran": null, "mountpoints": ["/media/user/STICK"], "pkname": "sdc"}]},
  {"name": "sdd", "path": "$T/sdd", "type": "disk", "rm": true, "size": 1048576,
   "model": "Boot Stick", "tran": "usb", "mountpoints": [null], "pkname": null},
  {"name": "small", "path": "$T/small", "type": "disk", "rm": true, "size": 4096,
   "model": "Tiny", "tran": "usb", "mountpoints": [null], "pkname": null}
]}
JSON
echo "$T/sdd" >"$T/root-disks"

export MU_LSBLK_FIXTURE=$T/lsblk.json
export MU_ROOT_DISK_FIXTURE=$T/root-disks
export MU_BLOCKDEV_FIXTURE="$T/sda:$T/sdb:$T/sdb1:$T/sdc:$T/sdc1:$T/sdd:$T/small"

usb() { "$SCRIPT" --image "$T/disk.img" --esp-dir "$T/esp" "$@"; }
unchanged() { cmp -s "$T/$1" "$T/pristine"; }

# --- Refusals, each with its own reason.
expect_run "regular file refused" 1 "refusing .*/regular: it is a regular file, not a block device" \
  usb --dev "$T/regular" --yes
expect_run "nonexistent path refused" 1 "refusing .*/nope: it does not exist" usb --dev "$T/nope" --yes
expect_run "character device refused" 1 "refusing /dev/null: it is a character device" \
  usb --dev /dev/null --yes
expect_run "directory refused" 1 "it is a directory, not a block device" usb --dev "$T/esp" --yes
expect_run "partition refused" 1 "refusing .*/sdb1: it is a partition, not a whole disk; use the disk itself \(/dev/sdb\)" \
  usb --dev "$T/sdb1" --yes
check "partition left untouched" unchanged sdb1
expect_run "non-removable disk refused" 1 "refusing .*/sda: it is not removable \(RM=0\) and not attached over USB \(TRAN=sata\)" \
  usb --dev "$T/sda" --yes
check "non-removable disk left untouched" unchanged sda
expect_run "disk with mounted partition refused" 1 "refusing .*/sdc: it has mounted file systems \(.*/sdc1 on /media/user/STICK\)" \
  usb --dev "$T/sdc" --yes
check "mounted disk left untouched" unchanged sdc
expect_run "root disk refused" 1 "refusing .*/sdd: it holds the running system's root or /boot" \
  usb --dev "$T/sdd" --yes
check "root disk left untouched" unchanged sdd
expect_run "device smaller than image refused" 1 "refusing .*/small: it is smaller" \
  usb --dev "$T/small" --yes
expect_run "device unknown to lsblk refused" 1 "lsblk does not list it" \
  env MU_BLOCKDEV_FIXTURE=1 "$SCRIPT" --image "$T/disk.img" --esp-dir "$T/esp" --dev "$T/regular" --yes

# --- A removable USB disk gets as far as the confirmation prompt.
TEST_STDIN=no expect_run "removable disk: answering 'no' aborts" 1 \
  "type YES to overwrite .*/sdb: .*aborted; nothing written" usb --dev "$T/sdb"
check "answering 'no' wrote nothing" unchanged sdb
TEST_STDIN=no expect_run "prompt shows model, size and transport" 1 \
  "model: +SanDisk Cruzer" usb --dev "$T/sdb"
TEST_STDIN=no expect_run "prompt shows transport" 1 "transport: usb" usb --dev "$T/sdb"
TEST_STDIN="" expect_run "no answer (EOF) aborts" 1 "aborted; nothing written" usb --dev "$T/sdb"
check "EOF wrote nothing" unchanged sdb
TEST_STDIN=YES expect_run "answering YES writes" 0 "done" usb --dev "$T/sdb"
check "image bytes are on the device" cmp -s -n 65536 "$T/disk.img" "$T/sdb"
cp "$T/pristine" "$T/sdb"
expect_run "--yes skips the prompt" 0 "done" usb --dev "$T/sdb" --yes
check "--yes wrote the image" cmp -s -n 65536 "$T/disk.img" "$T/sdb"

# --- Usage errors.
expect_run "no target is a usage error" 2 "say where to write" usb
expect_run "--dev and --esp together is a usage error" 2 "not both" usb --dev "$T/sdb" --esp "$T/mnt"

# --- --esp: copy onto a mounted vfat file system (fixture: findmnt answer).
echo "$T/mnt vfat" >"$T/findmnt"
echo "keep me" >"$T/mnt/other.txt"
export MU_FINDMNT_FIXTURE=$T/findmnt
expect_run "--esp copies onto a vfat mount" 0 "copied boot/kernel.elf" usb --esp "$T/mnt"
check "--esp: BOOTX64.EFI copied" cmp -s "$T/esp/EFI/BOOT/BOOTX64.EFI" "$T/mnt/EFI/BOOT/BOOTX64.EFI"
check "--esp: boot files copied" cmp -s "$T/esp/boot/muboot.cfg" "$T/mnt/boot/muboot.cfg"
check "--esp: other files kept" test -f "$T/mnt/other.txt"
echo "different" >"$T/mnt/boot/kernel.elf"
TEST_STDIN=no expect_run "--esp asks before replacing a different file" 1 \
  "type YES to replace them: .*aborted; nothing written" usb --esp "$T/mnt"
check "--esp: 'no' kept the old file" grep -q different "$T/mnt/boot/kernel.elf"
echo "$T/ext4 ext4" >"$T/findmnt"
expect_run "--esp refuses a non-vfat mount" 1 "not vfat" usb --esp "$T/ext4"
echo "$T vfat" >"$T/findmnt"
expect_run "--esp refuses a directory that is not the mount point" 1 "is not a mount point" \
  usb --esp "$T/mnt"

finish
