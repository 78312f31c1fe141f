#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# boot.sh <prefix> <scratch dir> <qemu>: the out-of-tree mini firmware (fw.c) built against an
# installed tree alone (find_package(TdShimFreestanding)), wrapped around the installed test
# firmware with the installed tdshim-image, booted with the installed tdshim-qemu as the shim's
# payload in an emulated TD (2 vCPUs, 256 MiB, RAM above 128 MiB left unaccepted), and checked:
#  - QEMU exit status 65 (the firmware wrote 0x20 to the debug-exit port), "mini: result pass";
#  - the memory map it printed from the payload HOB has the unaccepted 128 MiB at 128 MiB and
#    accepted RAM below;
#  - it accepted exactly those 128 MiB, and asked again heard "already accepted" for all of it;
#  - the RTMRs of its TDREPORT: RTMR0 and RTMR1 as tdshim-measure predicts them from the image
#    and the TD HOB tdshim-qemu generated, RTMR2 zero, RTMR3 = SHA-384(48 zero bytes ||
#    SHA-384(text)) computed here with openssl.
set -euo pipefail
prefix="$1"; work="$2"; qemu="$3"
src="$(cd "$(dirname "$0")" && pwd)"
rm -rf "$work"; mkdir -p "$work"
cmake -S "$src" -B "$work/build" -G Ninja -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=MinSizeRel \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF > "$work/configure.log" ||
  { cat "$work/configure.log"; exit 1; }
cmake --build "$work/build" > "$work/build.log" || { cat "$work/build.log"; exit 1; }
fw="$prefix/share/tdshim/tdshim-test.fw"
[ -f "$fw" ] || { echo "td: no $fw in the installed tree"; exit 1; }
"$prefix/bin/tdshim-image" --firmware "$fw" --payload "$work/build/mini-td" -o "$work/mini.img" \
  > "$work/layout"
rc=0
"$prefix/bin/tdshim-qemu" --qemu "$qemu" --smp 2 --mem 256M --accept-limit 128M \
  --hob-out "$work/hob.bin" --timeout 60 "$work/mini.img" > "$work/console" 2>&1 || rc=$?
tr -d '\r' < "$work/console" | grep '^mini: ' > "$work/mini.log" || true
cat "$work/mini.log"
fail=0
check() { # <description> <extended regex that one line of mini.log must match>
  grep -qE "$2" "$work/mini.log" || { echo "td: FAIL: $1"; fail=1; }
}
[ "$rc" = 65 ] || { echo "td: FAIL: QEMU exit status $rc, expected 65"; tail -n 20 "$work/console"; fail=1; }
check "result" '^mini: result pass$'
check "entry" '^mini: entered hob=0x[0-9a-f]{16} base=0x0000000001000000$'
check "hob" '^mini: hob bytes=[1-9][0-9]* gpaw=48 vcpus=2$'
check "unaccepted range" '^mini: memory 0x0000000008000000 size 0x0000000008000000 unaccepted$'
check "accepted RAM" '^mini: memory 0x0000000001200000 size 0x[0-9a-f]{16} accepted$'
check "summary" '^mini: ram accepted=0x[0-9a-f]{16} unaccepted=0x0000000008000000$'
check "accept" '^mini: accept ranges=1 bytes=0x0000000008000000 accepted=0x0000000008000000 calls 2m=64 4k=0 again already=0x0000000008000000 accepted=0x0000000000000000$'
text='td-shim in C: out-of-tree mini firmware'
digest=$(printf '%s' "$text" | openssl dgst -sha384 -r | cut -d' ' -f1)
rtmr3=$({ head -c 48 /dev/zero; printf '%s' "$text" | openssl dgst -sha384 -binary; } |
        openssl dgst -sha384 -r | cut -d' ' -f1)
check "extend digest" "^mini: extended rtmr3 sha384=$digest\$"
"$prefix/bin/tdshim-measure" rtmr --image "$work/mini.img" --hob "$work/hob.bin" > "$work/rtmr.ref"
for i in 0 1 2; do
  want=$(awk -v r="RTMR$i" '$1 == r {print $2}' "$work/rtmr.ref")
  [ -n "$want" ] || { echo "td: FAIL: tdshim-measure printed no RTMR$i"; fail=1; }
  check "rtmr$i = tdshim-measure's" "^mini: rtmr$i=$want\$"
done
check "rtmr3 = openssl's" "^mini: rtmr3=$rtmr3\$"
[ "$fail" = 0 ] || exit 1
echo "td: ok (exit 65, memory map, 128 MiB accepted, RTMR0-3 as predicted)"
