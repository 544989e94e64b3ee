#!/usr/bin/env python3
"""Build check for the two-pass link: every code and data symbol must have the same address in the
stage-1 and the final kernel, or the generated symbol table would name the wrong functions.
On a mismatch the final ELF is deleted so a stale image is never used."""
import argparse
import os
import subprocess
import sys

# Symbols that legitimately move: the table itself and the image end behind it.
MOVABLE = ("mu_kernel_symbols", "__ksyms_start", "__ksyms_end", "__kernel_end",
           "(anonymous namespace)::kSymbols", "(anonymous namespace)::kNames",
           "(anonymous namespace)::kNoSymbols", "(anonymous namespace)::kNoNames")


def symbols(nm: str, elf: str) -> list:
    out = subprocess.run([nm, "-n", "--defined-only", "-C", elf], check=True,
                         capture_output=True, text=True).stdout
    kept = []
    for line in out.splitlines():
        parts = line.split(" ", 2)
        if len(parts) != 3 or parts[2] in MOVABLE:
            continue
        kept.append(line)
    return kept


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nm", default="nm")
    parser.add_argument("stage1")
    parser.add_argument("final")
    args = parser.parse_args()
    first = symbols(args.nm, args.stage1)
    second = symbols(args.nm, args.final)
    text_count = sum(1 for line in first if line.split(" ", 2)[1] in "tTwW")
    if first != second or text_count == 0:
        for a, b in zip(first, second):
            if a != b:
                print(f"check_ksyms: stage-1 '{a}' != final '{b}'", file=sys.stderr)
                break
        print(f"check_ksyms: symbol addresses differ between {args.stage1} and {args.final} "
              f"({len(first)} vs {len(second)} symbols); removing the final image", file=sys.stderr)
        os.remove(args.final)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
