#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# tdshim-image --cfv from the command line (docs/tools/tdshim-image.md): the content must already
# be a firmware volume of exactly the CFV section's size; it is copied byte for byte; anything
# else is refused with a clear reason and no image.
# usage: cli-cfv.sh TDSHIM-IMAGE
set -euo pipefail
tool="$1"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }

# A fake 16 KiB firmware: page 0 and the tail reserve zero, code bytes, a reset vector.
{ head -c 4096 /dev/zero; head -c 8192 /dev/urandom; head -c $((4096 - 0x60)) /dev/zero
  head -c 80 /dev/zero; printf '\xeb\xfe%.0s' 1 2 3 4 5 6 7 8; } > fw.bin
head -c 5000 /dev/urandom > payload.bin

# Without --cfv: an empty 64 KiB volume. Take it as CFV content, with a file in it (bytes after
# the header are not judged by the header check): the image carries it byte for byte.
"$tool" -q --firmware fw.bin -o plain.img
head -c 65536 plain.img > cfv64.bin
printf 'CFV-FILE' | dd of=cfv64.bin bs=1 seek=72 conv=notrunc status=none
"$tool" -q --firmware fw.bin --cfv cfv64.bin -o img.bin
cmp -n 65536 img.bin cfv64.bin || fail "--cfv content not copied"
cmp -i 65536:65536 img.bin plain.img || fail "--cfv changed more than the CFV"
# --cfv-size defaults to the file's size: a 4 KiB volume makes a 4 KiB CFV.
"$tool" -q --firmware fw.bin --cfv-size 4K -o small.img
head -c 4096 small.img > cfv4.bin
"$tool" -q --firmware fw.bin --cfv cfv4.bin -o img.bin
# 4 KiB CFV + 16 KiB firmware, with the gap: 64 KiB; the CFV section is the file's 4 KiB.
[ "$(stat -c %s img.bin)" = 65536 ] || fail "image size"
[ "$(u32 img.bin $((65536 - 16384 + 16 + 16 + 32 + 4)))" = 4096 ] || fail "--cfv size not the file's"
cmp img.bin small.img || fail "--cfv of an empty 4 KiB volume differs from --cfv-size 4K"

# must fail with exit status 1 and stderr matching the pattern, writing no image
refuse() {
    local pat="$1"; shift
    rm -f bad.img
    set +e; "$tool" --firmware fw.bin -o bad.img "$@" > out.txt 2> err.txt; local rc=$?; set -e
    [ "$rc" = 1 ] || { cat err.txt; fail "exit $rc for: $*"; }
    grep -q -- "$pat" err.txt || { cat err.txt; fail "stderr lacks '$pat' for: $*"; }
    [ ! -e bad.img ] || fail "wrote an image for: $*"
}
refuse "CFV 'cfv64.bin' is 65536 bytes, but the CFV section is 131072 bytes (--cfv-size)" \
    --cfv cfv64.bin --cfv-size 128K
# With a payload the CFV keeps its size (the gap before the firmware pads the image).
"$tool" -q --firmware fw.bin --cfv cfv64.bin --payload payload.bin -o img.bin
cmp -n 65536 img.bin cfv64.bin || fail "--cfv with a payload: content not copied"
head -c 65536 /dev/zero > zero.bin
refuse "CFV 'zero.bin' is not a valid firmware volume: malformed input: firmware volume: Signature is not '_FVH'" \
    --cfv zero.bin
cp cfv64.bin badsum.bin
printf '\1' | dd of=badsum.bin bs=1 seek=50 conv=notrunc status=none
refuse "not a valid firmware volume: mismatch: firmware volume: header Checksum does not sum to 0" \
    --cfv badsum.bin
head -c 4095 cfv4.bin > odd.bin
refuse "firmware volume: FvLength is not the size of the volume" --cfv odd.bin
refuse "CFV 'odd.bin' is 4095 bytes, but the CFV section is 4096 bytes" --cfv odd.bin --cfv-size 4K
refuse "CFV size is not a non-zero 4 KiB multiple" --cfv-size 4095
refuse "cannot read CFV 'missing.bin'" --cfv missing.bin
echo "cli-cfv: ok"
