#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# The host tools' file and output handling (tools/tdshim-image/tool_io.c): a failed write leaves
# the old file and removes only the tool's temporary file, a device given as output is written in
# place and never removed, a write error on standard output is an exit status of 1, a directory
# or an oversized file given as input gets a message that says so, a file of exactly the size
# limit is read.
# usage: cli-io.sh TDSHIM-IMAGE TDSHIM-MEASURE TDSHIM-HOB TDSHIM-EVENTLOG TDSHIM-SIGN TDSHIM-ENROLL
set -euo pipefail
image="$1"; measure="$2"; hob="$3"; eventlog="$4"; sign="$5"; enroll="$6"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect STATUS MESSAGE-REGEX command...: the exit status and one stderr line matching.
expect() {
  local want="$1" re="$2"; shift 2
  local rc=0
  "$@" > out.txt 2> err.txt || rc=$?
  [ "$rc" -eq "$want" ] || { cat err.txt >&2; fail "$* exited $rc, expected $want"; }
  grep -Eq "$re" err.txt || { cat err.txt >&2; fail "$*: no stderr line matching '$re'"; }
}

# A fake 16 KiB firmware, as in cli-cfv.sh.
{ head -c 4096 /dev/zero; head -c 8192 /dev/urandom; head -c $((4096 - 0x60)) /dev/zero
  head -c 80 /dev/zero; printf '\xeb\xfe%.0s' 1 2 3 4 5 6 7 8; } > fw.bin
"$image" -q --firmware fw.bin -o good.img

# A device as output: written in place, an error reported, the device node still there.
expect 1 "cannot write '/dev/full': No space left on device" \
  "$image" -q --firmware fw.bin -o /dev/full
[ -c /dev/full ] || fail "/dev/full is gone"
"$image" -q --firmware fw.bin -o /dev/null || fail "writing to /dev/null failed"
[ -c /dev/null ] || fail "/dev/null is gone"

# A failed write over an existing file: the old bytes stay, no temporary file is left behind.
cp good.img old.img
chmod 0640 old.img
expect 1 "cannot write 'old.img': File too large" \
  bash -c 'trap "" XFSZ; ulimit -f 4; exec "$@"' sh "$image" -q --firmware fw.bin --cfv-size 4K \
  -o old.img
cmp -s good.img old.img || fail "the old file was changed by a failed write"
[ "$(ls -A | grep -c '^old\.img\.')" -eq 0 ] || fail "a temporary file was left: $(ls -A)"
# A good write replaces it and keeps its mode; a symbolic link is written through, not replaced.
"$image" -q --firmware fw.bin --cfv-size 4K -o old.img
[ "$(stat -c %a old.img)" = 640 ] || fail "mode $(stat -c %a old.img), expected 640"
ln -s old.img link.img
"$image" -q --firmware fw.bin -o link.img
[ -L link.img ] || fail "the symbolic link was replaced"
cmp -s good.img old.img || fail "the link's target was not written"
# A directory as output.
mkdir dir.out
expect 1 "cannot write 'dir.out': is a directory" "$image" -q --firmware fw.bin -o dir.out

# Standard output that cannot be written: exit 1, not 0 with the output lost.
rc=0; "$measure" mrtd good.img > /dev/full 2> err.txt || rc=$?
[ "$rc" -eq 1 ] || fail "tdshim-measure mrtd > /dev/full exited $rc"
grep -q "tdshim-measure: write error on standard output: No space left on device" err.txt ||
  fail "no write-error message: $(cat err.txt)"
"$hob" gen --mem 256M -o hob.bin
rc=0; "$hob" dump hob.bin > /dev/full 2> err.txt || rc=$?
[ "$rc" -eq 2 ] || fail "tdshim-hob dump > /dev/full exited $rc (I/O errors are 2)"
expect 2 "cannot write '/dev/full': No space left on device" "$hob" gen --mem 256M -o /dev/full

# Inputs: a directory, a missing file, a file over the limit, a file of exactly the limit.
expect 1 "cannot read 'dir.out': is a directory" "$measure" mrtd dir.out
expect 1 "cannot read 'missing.img': No such file or directory" "$measure" mrtd missing.img
expect 1 "cannot read firmware 'dir.out': is a directory" "$image" --firmware dir.out -o x.img
truncate -s 16M exact.hob
cp exact.hob over.hob; truncate -s $((16 * 1024 * 1024 + 1)) over.hob
rc=0; "$hob" dump exact.hob > /dev/null 2> err.txt || rc=$?
if grep -q "larger than" err.txt; then fail "a file of exactly the limit was refused as larger"; fi
expect 2 "cannot read 'over.hob': larger than the 16 MiB this tool reads \(16777216 bytes\)" \
  "$hob" dump over.hob
expect 2 "cannot read 'dir.out': is a directory" "$eventlog" dump dir.out
# A CCEL table with one bad field: the file, the rule and the field's offset are named.
{ printf 'CCEL'; printf '\x38\x00\x00\x00\x01'; head -c 47 /dev/zero; } > ccel.bin
expect 2 "ccel.bin: invalid CCEL table: Checksum does not make the table sum to 0 at offset 9" \
  "$eventlog" ccel ccel.bin
printf 'CCEL\x39' > short.bin
expect 2 "short.bin: invalid CCEL table: table shorter than 56 bytes at offset 5" \
  "$eventlog" ccel short.bin

# Bounded work on a corrupted image: one flipped byte in TempMem's MemoryDataSize (1 TiB more)
# used to make tdshim-measure hash for hours; now it is refused at once, and tdshim-image refuses
# to build such an image.
python3 - good.img big.img <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
d = b.find(b'TDVF')
n = struct.unpack_from('<I', b, d + 12)[0]
for i in range(n):
    o = d + 16 + 32 * i
    if struct.unpack_from('<I', b, o + 24)[0] == 3:  # TempMem
        b[o + 16 + 5] ^= 1                          # MemoryDataSize bit 40
        break
else:
    sys.exit('no TempMem section')
open(sys.argv[2], 'wb').write(b)
PY
for any in "" --any; do
  expect 1 "sections the VMM adds total more than 64 GiB" timeout 20 "$measure" mrtd $any big.img
done
expect 1 "sections the VMM adds total more than 64 GiB" \
  "$image" -q --firmware fw.bin --tempmem 0x100000,0x10000000000 -o huge.img
[ ! -e huge.img ] || fail "tdshim-image wrote an image it refused"
expect 1 "ends above 2\\^51" \
  "$image" -q --firmware fw.bin --tempmem 0x8000000000000,0x1000 -o huge.img

# Options: --version everywhere; a repeated single-value option and a --payload-section without
# a --payload are usage errors (2), not "the last one wins" or a silent success.
for t in "$image" "$measure" "$hob" "$eventlog" "$sign" "$enroll"; do
  v="$("$t" --version)" || fail "$t --version failed"
  [[ "$v" =~ ^tdshim-[a-z]+\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "$t --version printed '$v'"
done
expect 2 "tdshim-image: --firmware given twice" "$image" --firmware fw.bin --firmware fw.bin -o x.img
expect 2 "tdshim-image: --output given twice" "$image" --firmware fw.bin -o x.img -o y.img
expect 2 "no --payload given" "$image" --firmware fw.bin --payload-section bfv -o x.img
[ ! -e x.img ] && [ ! -e y.img ] || fail "an image was written after a usage error"
# The signing tools' output through the same writer: a device is never removed.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out k.pem 2> /dev/null
expect 1 "cannot write '/dev/full': No space left on device" \
  "$sign" --key k.pem --svn 1 -o /dev/full fw.bin
[ -c /dev/full ] || fail "/dev/full is gone"
echo "cli-io: ok"
