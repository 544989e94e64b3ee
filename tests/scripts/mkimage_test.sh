#!/usr/bin/env bash
# Tests scripts/mkimage.sh with dummy inputs: clean FAT32, expected files, GPT layout, atomic failure.
set -euo pipefail

SCRIPT=${1:?usage: mkimage_test.sh path/to/mkimage.sh}
source "$(dirname -- "$0")/lib.sh"
export MTOOLS_SKIP_CHECK=1

T=$TEST_TMP
mkdir -p "$T/in" "$T/out"
head -c 200000 /dev/urandom >"$T/in/BOOTX64.EFI"
head -c 1500000 /dev/urandom >"$T/in/kernel.elf"
head -c 30000 /dev/urandom >"$T/in/initrd.cpio"
printf 'kernel=\\boot\\kernel.elf\n' >"$T/in/muboot.cfg"
INPUTS=(--efi "$T/in/BOOTX64.EFI" --kernel "$T/in/kernel.elf" --initrd "$T/in/initrd.cpio"
        --cfg "$T/in/muboot.cfg")

expect_run "builds esp.img, disk.img and the esp tree" 0 "disk image:" \
  "$SCRIPT" "${INPUTS[@]}" --out-esp "$T/out/esp.img" --out-disk "$T/out/disk.img" \
  --esp-dir "$T/out/esp"
check "esp.img is 64 MiB" test "$(stat -c %s "$T/out/esp.img")" -eq $((64 * 1024 * 1024))
check "fsck.fat -n: esp.img clean" quiet fsck.fat -n "$T/out/esp.img"
check "FAT32 (mkfs.fat -F 32)" grep -qa "FAT32" <(head -c 512 "$T/out/esp.img")
for pair in "BOOTX64.EFI|::/EFI/BOOT/BOOTX64.EFI" "kernel.elf|::/boot/kernel.elf" \
            "initrd.cpio|::/boot/initrd.cpio" "muboot.cfg|::/boot/muboot.cfg"; do
  src=${pair%%|*} dst=${pair#*|}
  rm -f "$T/readback"
  mcopy -n -i "$T/out/esp.img" "$dst" "$T/readback" 2>/dev/null || true
  check "esp.img $dst holds $src" cmp -s "$T/readback" "$T/in/$src"
done
check "esp tree has EFI/BOOT/BOOTX64.EFI" cmp -s "$T/out/esp/EFI/BOOT/BOOTX64.EFI" "$T/in/BOOTX64.EFI"
check "esp tree has boot/initrd.cpio" cmp -s "$T/out/esp/boot/initrd.cpio" "$T/in/initrd.cpio"

table=$(sgdisk -p "$T/out/disk.img")
check "GPT partition 1 is EF00 'EFI System' from sector 2048" \
  grep -qE '^ +1 +2048 +133119 +64.0 MiB +EF00 +EFI System$' <<<"$table"
check "sgdisk --verify: no problems" grep -q 'No problems found' <(sgdisk --verify "$T/out/disk.img")
check "protective MBR (type 0xEE)" test "$(od -An -tx1 -j 450 -N 1 "$T/out/disk.img" | tr -d ' ')" = ee
dd if="$T/out/disk.img" of="$T/partition" bs=1M skip=1 count=64 status=none
check "partition 1 holds exactly the bytes of esp.img" cmp -s "$T/partition" "$T/out/esp.img"
check "mtools reads the ESP at offset 1 MiB" quiet mdir -i "$T/out/disk.img@@1M" ::/boot/kernel.elf

# A large input grows the ESP past 64 MiB.
head -c $((80 * 1024 * 1024)) /dev/zero >"$T/in/big.elf"
expect_run "ESP grows for large inputs" 0 "ESP: FAT32, [0-9]+ MiB" \
  "$SCRIPT" --efi "$T/in/BOOTX64.EFI" --kernel "$T/in/big.elf" --initrd "$T/in/initrd.cpio" \
  --cfg "$T/in/muboot.cfg" --out-disk "$T/out/big.img"
check "large disk image: GPT verifies" grep -q 'No problems found' <(sgdisk --verify "$T/out/big.img")
rm -f "$T/out/big.img" "$T/in/big.elf"

# Errors.
expect_run "missing input named" 1 "--kernel: '.*/nope.elf' does not exist" \
  "$SCRIPT" --efi "$T/in/BOOTX64.EFI" --kernel "$T/nope.elf" --initrd "$T/in/initrd.cpio" \
  --cfg "$T/in/muboot.cfg" --out-esp "$T/out/x.img"
expect_run "missing option is a usage error" 2 "missing --cfg" \
  "$SCRIPT" --efi "$T/in/BOOTX64.EFI" --kernel "$T/in/kernel.elf" --initrd "$T/in/initrd.cpio" \
  --out-esp "$T/out/x.img"
expect_run "no output is a usage error" 2 "nothing to build" "$SCRIPT" "${INPUTS[@]}"

# A failing step leaves no output and no temporary files behind.
mkdir -p "$T/shim"
printf '#!/bin/sh\nexit 1\n' >"$T/shim/sgdisk"
chmod +x "$T/shim/sgdisk"
expect_run "failing sgdisk fails the build" 1 "sgdisk could not partition" \
  env PATH="$T/shim:$PATH" "$SCRIPT" "${INPUTS[@]}" --out-esp "$T/out/new-esp.img" \
  --out-disk "$T/out/new-disk.img"
check "no half image left" test ! -e "$T/out/new-disk.img" -a ! -e "$T/out/new-esp.img"
check "no temporary files left" test -z "$(find "$T/out" -maxdepth 1 -name '.*' ! -name . )"

mkdir -p "$T/foreign" && touch "$T/foreign/precious"
expect_run "refuses to replace a foreign --esp-dir" 1 "holds 'precious'" \
  "$SCRIPT" "${INPUTS[@]}" --esp-dir "$T/foreign"
check "foreign dir untouched" test -f "$T/foreign/precious"

finish
