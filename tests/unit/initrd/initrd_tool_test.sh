#!/usr/bin/env bash
# End-to-end tests of the mu-initrd CLI against GNU cpio and bsdtar: listing, extraction, corruption.
set -euo pipefail

TOOL=${1:?usage: initrd_tool_test.sh path/to/mu-initrd [elf-program]}
ELF=${2:-}
source "$(dirname -- "$0")/../../scripts/lib.sh"

T=$TEST_TMP
mkdir -p "$T/src"
printf 'hello\n' >"$T/src/hello.txt"
head -c 4097 /dev/urandom >"$T/src/random.bin"
: >"$T/src/empty"
if [[ -z "$ELF" || ! -f "$ELF" ]]; then
  ELF=$(command -v true)  # any ELF will do for listing
fi
cat >"$T/manifest.txt" <<MANIFEST
# test manifest
dir  /sbin               0755
file sbin/init           \${PROG}        0755
dir  etc                 0755
dir  etc/deep            0700
file etc/deep/random.bin src/random.bin 0600
file hello.txt           src/hello.txt  0644
file empty               src/empty      0444
MANIFEST

# Name and size per entry, in archive order, from each lister.
names_sizes_mu() { "$TOOL" ls "$1" | awk '/^[^ ]/ { print $3, $2 }'; }  # detail lines are indented
names_sizes_cpio() { cpio -itv --quiet <"$1" | awk '{ print $9, $5 }'; }
names_sizes_bsdtar() { bsdtar -tvf "$1" | awk '{ print $9, $5 }'; }

expect_run "pack succeeds" 0 "" "$TOOL" pack -D PROG="$ELF" "$T/manifest.txt" "$T/a.cpio"
expect_run "pack with -DNAME=VALUE and a depfile" 0 "" \
  "$TOOL" pack "-DPROG=$ELF" --depfile "$T/a.d" "$T/manifest.txt" "$T/b.cpio"
check "pack is reproducible (byte-identical)" cmp -s "$T/a.cpio" "$T/b.cpio"
check "depfile lists the manifest and sources" grep -q "src/random.bin" "$T/a.d"

mu=$(names_sizes_mu "$T/a.cpio")
check "ls lists 7 entries" test "$(wc -l <<<"$mu")" -eq 7
check "ls matches cpio -itv (names, sizes, order)" test "$mu" = "$(names_sizes_cpio "$T/a.cpio")"
check "ls matches bsdtar -tvf (names, sizes, order)" test "$mu" = "$(names_sizes_bsdtar "$T/a.cpio")"
check "cpio sees mtime 0 and uid/gid 0" bash -c \
  "cpio -itv --quiet -n <'$T/a.cpio' | awk '\$3 != 0 || \$4 != 0 || \$8 != 1970 { exit 1 }'"
listing=$("$TOOL" ls "$T/a.cpio")
check "ls shows modes like ls -l" grep -qE '^drwx------ +0 etc/deep$' <<<"$listing"
check "ls shows ELF type and machine" grep -qE '^    ELF64 ET_(EXEC|DYN) x86-64 entry 0x[0-9a-f]+$' <<<"$listing"
check "ls shows loadable segments" grep -qE '^    LOAD vaddr 0x[0-9a-f]+ memsz 0x[0-9a-f]+ filesz 0x[0-9a-f]+ [R-][W-][X-]$' <<<"$listing"

expect_run "extract succeeds" 0 "" "$TOOL" extract "$T/a.cpio" "$T/out"
check "extract: random.bin round-trips" cmp -s "$T/out/etc/deep/random.bin" "$T/src/random.bin"
check "extract: program round-trips" cmp -s "$T/out/sbin/init" "$ELF"
check "extract: empty file" test -f "$T/out/empty" -a ! -s "$T/out/empty"
check "extract: modes kept" test "$(stat -c %a "$T/out/etc/deep/random.bin")" = 600
check "extract matches cpio -i" bash -c \
  "mkdir '$T/ref' && cd '$T/ref' && cpio -id --quiet <'$T/a.cpio' && diff -r '$T/ref' '$T/out'"

# Manifest errors name the line.
printf 'dir a 0755\nfile a/b missing-file 0644\n' >"$T/bad-source.txt"
expect_run "missing source names the manifest line" 1 "bad-source.txt:2: .*missing-file: cannot open" \
  "$TOOL" pack "$T/bad-source.txt" "$T/x.cpio"
check "failed pack leaves no output" test ! -e "$T/x.cpio"
expect_run "undefined variable names the line" 1 "manifest.txt:3: undefined variable \\$\\{PROG\\}" \
  "$TOOL" pack "$T/manifest.txt" "$T/x.cpio"

# Corrupt archives: message with reason and offset, exit 1, never a crash.
corrupt_pattern="^mu-initrd: .*: corrupt archive: .+ at offset [0-9]+$"
size=$(stat -c %s "$T/a.cpio")
head -c $((size / 2)) "$T/a.cpio" >"$T/truncated.cpio"
expect_run "truncated archive" 1 "$corrupt_pattern" "$TOOL" ls "$T/truncated.cpio"
head -c 60 "$T/a.cpio" >"$T/short.cpio"
expect_run "archive shorter than a header" 1 "$corrupt_pattern" "$TOOL" ls "$T/short.cpio"
{ printf '171701'; tail -c +7 "$T/a.cpio"; } >"$T/magic.cpio"
expect_run "bad magic at offset 0" 1 "corrupt archive: .+ at offset 0$" "$TOOL" ls "$T/magic.cpio"
{ head -c 14 "$T/a.cpio"; printf 'ZZ'; tail -c +17 "$T/a.cpio"; } >"$T/hex.cpio"
expect_run "bad hex field" 1 "$corrupt_pattern" "$TOOL" ls "$T/hex.cpio"
expect_run "corrupt archive refused by extract too" 1 "$corrupt_pattern" \
  "$TOOL" extract "$T/hex.cpio" "$T/never"
check "nothing extracted from a corrupt archive" test ! -e "$T/never"
: >"$T/empty.cpio"
expect_run "empty file" 1 "$corrupt_pattern" "$TOOL" ls "$T/empty.cpio"

# Hostile names: newc archives written by hand.
make_archive() {  # make_archive OUT NAME...
  python3 - "$@" <<'PY'
import sys
out, names = sys.argv[1], sys.argv[2:] + ["TRAILER!!!"]
blob = b""
for ino, name in enumerate(names, 1):
    data = b"" if name == "TRAILER!!!" else b"pwned\n"
    raw = name.encode() + b"\0"
    mode = 0 if name == "TRAILER!!!" else 0o100644
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(raw), 0]
    header = b"070701" + b"".join(b"%08X" % f for f in fields) + raw
    header += b"\0" * (-len(header) % 4)
    blob += header + data + b"\0" * (-len(data) % 4)
open(out, "wb").write(blob)
PY
}
mkdir -p "$T/jail"
make_archive "$T/dotdot.cpio" ok.txt ../escaped.txt
expect_run "'..' refused" 1 "unsafe entry: '..' component in path '../escaped.txt' refused \\(path traversal\\)" \
  "$TOOL" extract "$T/dotdot.cpio" "$T/jail/out"
check "nothing escaped the destination" test ! -e "$T/jail/escaped.txt"
check "nothing written before refusing" test ! -e "$T/jail/out/ok.txt"
make_archive "$T/abs.cpio" "$T/jail/absolute.txt"
expect_run "absolute path refused" 1 "unsafe entry: absolute path '.*absolute.txt' refused" \
  "$TOOL" extract "$T/abs.cpio" "$T/jail/out2"
check "absolute target not written" test ! -e "$T/jail/absolute.txt"
make_archive "$T/weird.cpio" $'esc\x1b[31mape'
expect_run "control characters escaped in ls" 0 'esc\\x1b\[31mape' "$TOOL" ls "$T/weird.cpio"

# Usage errors exit 2.
expect_run "no command" 2 "usage:" "$TOOL"
expect_run "unknown command" 2 "unknown command 'frobnicate'" "$TOOL" frobnicate
expect_run "ls without archive" 2 "usage:" "$TOOL" ls
expect_run "pack with one argument" 2 "usage:" "$TOOL" pack "$T/manifest.txt"
expect_run "bad -D" 2 "-D expects NAME=VALUE" "$TOOL" pack -D nonsense "$T/manifest.txt" "$T/x.cpio"
expect_run "missing archive" 1 "cannot open" "$TOOL" ls "$T/nope.cpio"

# Random damage: every result is a listing or a clean error, never a crash or sanitizer report.
python3 - "$T/a.cpio" "$T/fuzz" <<'PY'
import random, sys
data = open(sys.argv[1], "rb").read()
rng = random.Random(1234)
for i in range(150):
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        b[rng.randrange(len(b))] = rng.randrange(256)
    if i % 5 == 0:
        b = b[: rng.randrange(len(b))]
    open(f"{sys.argv[2]}.{i}", "wb").write(bytes(b))
PY
crashes=0
for f in "$T"/fuzz.*; do
  status=0
  "$TOOL" ls "$f" >/dev/null 2>"$T/fuzz.err" || status=$?
  if [[ $status -gt 1 ]] || grep -q "Sanitizer" "$T/fuzz.err"; then
    crashes=$((crashes + 1))
    echo "crash on $f (status $status):"; head -5 "$T/fuzz.err"
  fi
done
check "150 damaged archives: no crash" test "$crashes" -eq 0

finish
