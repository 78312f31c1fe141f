#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# check-boot-vmm.sh MEASURE IMAGETOOL HOBTOOL
#
# check-boot.sh's reference step (c) for a payload placed by the VMM, on the host: an image with
# `tdshim-image --payload-region`, a "payload" file, and a console whose log and RTMR lines are
# what a shim measuring the region would print (here: tdshim-measure's own reference, written as
# the payload prints it). check-boot.sh must pass with --payload-file FILE, and fail without it
# (tdshim-measure refuses the image) and with a file one byte different (the logs differ).
set -euo pipefail
measure="$1"; imagetool="$2"; hobtool="$3"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "check-boot-vmm: FAIL: $*" >&2; exit 1; }

{ head -c 4096 /dev/zero; head -c 8192 /dev/urandom; head -c $((4096 - 0x60)) /dev/zero
  head -c 80 /dev/zero; printf '\xeb\xfe%.0s' 1 2 3 4 5 6 7 8; } > fw.bin
head -c 70000 /dev/urandom > payload.elf
"$imagetool" -q --firmware fw.bin --payload-region 0x4000000,2M -o img.bin
"$hobtool" gen --mem 256M --base 0x800000 --accepted 0x100000:0x700000 \
  --accepted 0x4000000:0x200000 -o hob.bin
"$measure" rtmr --image img.bin --hob hob.bin --payload-file payload.elf --log-out ref.bin \
  > ref.txt
# The console as the payload prints it: 64-byte log lines, the end line, the four RTMR lines.
{ size=$(stat -c %s ref.bin)
  for ((off = 0; off < size; off += 64)); do
    printf 'tdpayload: log 0x%x %s\r\n' "$off" \
      "$(od -An -v -tx1 -j "$off" -N 64 ref.bin | tr -d ' \n')"
  done
  printf 'tdpayload: log end size=0x%x complete\r\n' "$size"
  for i in 0 1 2 3; do
    printf 'tdpayload: rtmr%s %s replay=ok\r\n' "$i" "$(sed -n "s/^RTMR$i //p" ref.txt)"
  done; } > console.txt

bash "$here/check-boot.sh" console.txt --image img.bin --hob hob.bin --payload-file payload.elf \
  --measure "$measure" > ok.txt 2>&1 || { cat ok.txt; fail "the matching boot was refused"; }
grep -q 'equals tdshim-measure.s reference byte for byte' ok.txt || { cat ok.txt; fail "no (c)"; }
if bash "$here/check-boot.sh" console.txt --image img.bin --hob hob.bin --measure "$measure" \
    > no.txt 2>&1; then fail "passed without --payload-file"; fi
grep -q 'placed by the VMM' no.txt || { cat no.txt; fail "no reason without --payload-file"; }
cp payload.elf other.elf; printf '\x00' | dd of=other.elf bs=1 seek=100 conv=notrunc 2>/dev/null
cmp -s payload.elf other.elf && printf '\x01' | dd of=other.elf bs=1 seek=100 conv=notrunc 2>/dev/null
if bash "$here/check-boot.sh" console.txt --image img.bin --hob hob.bin --payload-file other.elf \
    --measure "$measure" > other.txt 2>&1; then fail "passed with another payload file"; fi
grep -q "differs from tdshim-measure's reference" other.txt || { cat other.txt; fail "reason"; }
echo "check-boot-vmm: ok"
