#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# tdshim-image --payload from the command line: the payload's bytes at the right file offset
# (checked with cmp/od, not with libtdvf), the layout table naming it, and clear refusals.
# usage: cli-payload.sh TDSHIM-IMAGE
set -euo pipefail
tool="$1"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }

# A fake 16 KiB firmware: page 0 and the tail reserve zero, code bytes, a reset vector.
{ head -c 4096 /dev/zero; head -c 8192 /dev/urandom; head -c $((4096 - 0x60)) /dev/zero
  head -c 80 /dev/zero; printf '\xeb\xfe%.0s' 1 2 3 4 5 6 7 8; } > fw.bin
[ "$(stat -c %s fw.bin)" = 16384 ] || fail "fake firmware size"
head -c 5000 /dev/urandom > payload.bin

for kind in bfv payload; do
    "$tool" --firmware fw.bin --payload payload.bin --payload-section "$kind" -o img.bin > out.txt
    # 64 KiB CFV + 8 KiB (5000 padded) + 16 KiB firmware = 0x16000; a gap of 0xA000 zero bytes
    # in no section before the firmware makes the image 0x20000 (QEMU -bios needs a 64 KiB
    # multiple): the CFV keeps its 64 KiB, the payload is at 0x10000, the firmware at 0x1C000.
    [ "$(stat -c %s img.bin)" = $((0x20000)) ] || fail "$kind: image size"
    # The CFV is an empty 64 KiB firmware volume: '_FVH' at 40, FvLength at 32, one block-map
    # entry {0x10, 4 KiB}, erased (0xFF) after the 72-byte header.
    [ "$(od -An -c -j 40 -N4 img.bin | tr -d ' ')" = _FVH ] || fail "$kind: CFV signature"
    [ "$(u32 img.bin 32)" = $((0x10000)) ] && [ "$(u32 img.bin 36)" = 0 ] ||
        fail "$kind: CFV FvLength"
    [ "$(u32 img.bin 56)" = 16 ] && [ "$(u32 img.bin 60)" = 4096 ] || fail "$kind: block map"
    cmp -n $((0x10000 - 72)) -i 72:0 img.bin <(head -c $((0x10000)) /dev/zero | tr '\0' '\377') ||
        fail "$kind: CFV not erased after its header"
    cmp -n 5000 -i $((0x10000)):0 img.bin payload.bin || fail "$kind: payload bytes not at 0x10000"
    cmp -n $((8192 - 5000 + 0xA000)) -i $((0x10000 + 5000)):0 img.bin /dev/zero ||
        fail "$kind: padding and gap not zero"
    cmp -n 16 -i $((0x20000 - 16)):$((16384 - 16)) img.bin fw.bin || fail "$kind: reset vector"
    # td-shim pointer at end-0x20: the descriptor right after the GUID in the firmware.
    [ "$(u32 img.bin $((0x20000 - 0x20)))" = $((0x1C010)) ] || fail "$kind: descriptor offset"
    type=0; attr=1; [ "$kind" = bfv ] || { type=5; attr=0; }
    sec4=$((0x1C010 + 16 + 4 * 32))
    [ "$(u32 img.bin $sec4)" = $((0x10000)) ] || fail "$kind: DataOffset"
    [ "$(u32 img.bin $((sec4 + 4)))" = 8192 ] || fail "$kind: RawDataSize"
    [ "$(u32 img.bin $((sec4 + 8)))" = $((0xfffe0000 + 0x10000)) ] || fail "$kind: GPA"
    [ "$(u32 img.bin $((sec4 + 24)))" = "$type" ] || fail "$kind: type"
    [ "$(u32 img.bin $((sec4 + 28)))" = "$attr" ] || fail "$kind: attributes"
    grep -Eq '^4 +(BFV|Payload) +0x00010000 0x00002000 0x00000000ffff0000 0x00002000 .* payload ' \
        out.txt || { cat out.txt; fail "$kind: layout table lacks the payload row"; }
    grep -q '^payload: section 4 .*5000 bytes of file + 3192 bytes of zero padding' out.txt ||
        { cat out.txt; fail "$kind: payload summary"; }
done
"$tool" --firmware fw.bin -o img.bin > out.txt
grep -q '^payload: none$' out.txt || fail "no payload line"
# 64 KiB CFV + 16 KiB firmware: the gap makes it 128 KiB.
[ "$(stat -c %s img.bin)" = $((0x20000)) ] || fail "image without payload: size"
grep -q '^measured: 16384 bytes in MRTD (64 TDH.MR.EXTEND of 256 bytes), 1844 TDH.MEM.PAGE.ADD of 4 KiB$' \
    out.txt || { cat out.txt; fail "no payload: measured line"; }
cp img.bin plain.bin

# --payload-region: no bytes added, one more section (the last): 0, 0, GPA, size, type 5, attr 0.
"$tool" --firmware fw.bin --payload-region 0x4000000,2M -o img.bin > out.txt
[ "$(stat -c %s img.bin)" = $((0x20000)) ] || fail "region: image size changed"
sec4=$((0x1C010 + 16 + 4 * 32))
[ "$(u32 img.bin $((0x1C010 + 4)))" = $((16 + 32 * 5)) ] || fail "region: descriptor Length"
[ "$(u32 img.bin $((0x1C010 + 12)))" = 5 ] || fail "region: section count"
for f in "0 0" "4 0" "8 $((0x4000000))" "12 0" "16 $((0x200000))" "20 0" "24 5" "28 0"; do
    read -r at want <<< "$f"
    [ "$(u32 img.bin $((sec4 + at)))" = "$want" ] || fail "region: section 4 field +$at != $want"
done
# Apart from Length, count and the new entry, the image is the one without the region.
cmp -n $((0x1C014)) img.bin plain.bin || fail "region: bytes before the descriptor changed"
cmp -i $((sec4 + 32)) img.bin plain.bin || fail "region: bytes after the new entry changed"
grep -Eq '^4 +Payload +0x00000000 0x00000000 0x0000000004000000 0x00200000 0x0 +payload ' out.txt ||
    { cat out.txt; fail "region: layout table lacks the payload row"; }
grep -q '^payload: section 4 (Payload, VMM-placed), GPA 0x04000000-0x041fffff, 0x200000 bytes' \
    out.txt || { cat out.txt; fail "region: payload summary"; }

# must fail with exit status 1/2 and stderr matching the pattern, writing no image
refuse() {
    local pat="$1"; shift
    rm -f bad.img
    set +e; "$tool" --firmware fw.bin -o bad.img "$@" > out.txt 2> err.txt; local rc=$?; set -e
    [ "$rc" != 0 ] || fail "accepted: $*"
    grep -q -- "$pat" err.txt || { cat err.txt; fail "stderr lacks '$pat' for: $*"; }
    [ ! -e bad.img ] || fail "wrote an image for: $*"
}
: > empty.bin
refuse "payload 'empty.bin' is empty" --payload empty.bin
refuse "cannot read payload 'missing.bin': No such file or directory" --payload missing.bin
head -c $((16 * 1024 * 1024 - 0x10000 - 0x4000 + 1)) /dev/zero > big.bin
refuse "payload 'big.bin' (16695297 bytes) too large" --payload big.bin
refuse "must be 'bfv' or 'payload'" --payload payload.bin --payload-section cfv
refuse "exclusive with --payload" --payload payload.bin --payload-region 0x4000000,2M
refuse "exclusive with --payload" --payload-region 0x4000000,2M --payload-section payload
refuse "bad or repeated --payload-region '0x4000000'" --payload-region 0x4000000
refuse "--payload-region given twice" --payload-region 0x4000000,2M --payload-region 0x8000000,2M
refuse "not 4 KiB aligned (section 4)" --payload-region 0x4000000,0x1800
refuse "MemoryAddress not 4 KiB aligned (section 4)" --payload-region 0x4000800,2M
refuse "region is empty" --payload-region 0x4000000,0
refuse "region wraps (section 4)" --payload-region 0xffffffffffe00000,4M
refuse "not below the image" --payload-region 0x100000000,2M
refuse "overlaps the TD_HOB section (section 4)" --payload-region 0x700000,2M
refuse "overlaps a TempMem section" --payload-region 0x0,2M
refuse "overlaps a BFV section" --payload-region 0xffffc000,16K
echo "cli-payload: ok"
