#!/usr/bin/env bash
# Tests the QEMU command line scripts/run-qemu.sh builds (--dry-run; QEMU is not started).
set -euo pipefail

SCRIPT=${1:?usage: run_qemu_test.sh path/to/run-qemu.sh}
source "$(dirname -- "$0")/lib.sh"

T=$TEST_TMP
touch "$T/disk.img"
export BUILD=$T/build
unset DISPLAY WAYLAND_DISPLAY

run() { "$SCRIPT" --disk "$T/disk.img" --dry-run "$@" </dev/null; }

expect_run "q35, TCG, -cpu max, 256 MiB" 0 "-machine q35 -accel tcg -cpu max -m 256 " run
expect_run "OVMF code read-only" 0 "if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd" run
expect_run "vars copy created in the build dir" 0 "unit=1,file=$T/build/ovmf_vars.fd" run
check "vars file exists" cmp -s "$T/build/ovmf_vars.fd" /usr/share/OVMF/OVMF_VARS_4M.fd
expect_run "disk as virtio-blk" 0 "file=$T/disk.img,if=none,id=disk0 -device virtio-blk-pci,drive=disk0" run
check "never asks for KVM" bash -c '! "$@" 2>&1 | grep -qE "enable-kvm|accel kvm"' _ "$SCRIPT" --disk "$T/disk.img" --dry-run
expect_run "headless without a display" 0 "-display none" run
expect_run "serial stdio when stdin is not a terminal" 0 "-serial stdio( |$)" run
expect_run "--test adds isa-debug-exit and -no-reboot" 0 \
  "-device isa-debug-exit,iobase=0xf4,iosize=0x04 -no-reboot" run --test
expect_run "--icount" 0 "-icount shift=0,sleep=off" run --icount
expect_run "--debug adds -s -S" 0 " -s -S" run --debug
expect_run "--memory" 0 " -m 512 " run --memory 512
expect_run "--vars" 0 "unit=1,file=$T/myvars.fd" run --vars "$T/myvars.fd"
expect_run "--monitor" 0 "-monitor unix:$T/mon.sock,server=on,wait=off" run --monitor "$T/mon.sock"
expect_run "extra args after --" 0 '-smp 2 -append a\\ b$' run -- -smp 2 -append "a b"
expect_run "--disk required" 2 "--disk is required" "$SCRIPT" --dry-run
expect_run "missing disk named" 1 "disk image '.*/none.img' does not exist" \
  "$SCRIPT" --disk "$T/none.img" --dry-run
expect_run "bad --memory" 2 "--memory expects MiB" run --memory lots
expect_run "unknown option" 2 "unknown argument '--bogus'" run --bogus

finish
