#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# hostile-region.sh QEMU FIRMWARE BIN_DIR KERNEL CASE PATTERN...
#
# A hostile VMM's kernel region (docs/linux-boot.md "From a VMM-placed region"): the harness of
# boot-region.sh (image with --payload-region and a VMM-filled --param-region, TD HOB, QEMU's
# loader device as the VMM, fw_cfg hidden from the TD), with one lie; the shim must stop with its
# fatal line before the kernel runs (QEMU exit 35, the test image's fatal exit), and every
# extended regular expression PATTERN must match a line of the console (!REGEX: none may).
# CASE:
#   syssize-past-region  syssize (0x1F4) = 0x00ffffff: 256 MiB of kernel in a smaller region
#   bad-version          boot protocol (0x206) 2.11
#   param-no-nul         a PayloadParam region of 4 KiB without a NUL
#   param-unaccepted     the PayloadParam region not listed as accepted in the TD HOB
set -u
here="$(cd "$(dirname "$0")" && pwd)"
qemu="$1"; fw="$2"; bin="$3"; kernel="$4"; case="$5"; shift 5
tool() { echo "$bin/tools/$1/$1"; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
region_gpa=0x30000000
param_gpa=0x2ff00000
cp "$kernel" "$work/vmlinuz"
# patch OFFSET BYTES: write BYTES (printf escapes) at OFFSET of the copy.
patch() { printf "$2" | dd of="$work/vmlinuz" bs=1 seek=$(( $1 )) conv=notrunc status=none; }
printf 'console=ttyS0 panic=-1\0' > "$work/param.bin"
param_hob=("$param_gpa:0x1000")
case "$case" in
  syssize-past-region) patch 0x1f4 '\xff\xff\xff\x00' ;;
  bad-version) patch 0x206 '\x0b\x02' ;;
  param-no-nul) head -c 4096 /dev/zero | tr '\0' 'A' > "$work/param.bin" ;;
  param-unaccepted) param_hob=() ;;
  *) echo "hostile-region: unknown CASE '$case'"; exit 2 ;;
esac
ksize=$(stat -c %s "$kernel")
region=$(( (ksize + 0x1FFFFF) / 0x200000 * 0x200000 ))
mapfile -t vmm_hob < "$here/../e2e/test-vmm-hob.args"
"$(tool tdshim-image)" --firmware "$fw" --payload-region "$region_gpa,$region" \
  --param-region "$param_gpa,0x1000" -o "$work/tdshim.img" > /dev/null ||
  { echo "hostile-region: tdshim-image refused"; exit 1; }
"$(tool tdshim-hob)" gen --mem 1G "${vmm_hob[@]}" --accepted "$region_gpa:$region" \
  "${param_hob[@]}" -o "$work/hob.bin" || { echo "hostile-region: tdshim-hob refused"; exit 1; }
TDSHIM_SMP=1 TDSHIM_MEM=1G TDSHIM_HOB="$work/hob.bin" "$here/../e2e/run-qemu.sh" "$qemu" \
  "$work/tdshim.img" 40 -device "loader,file=$work/vmlinuz,addr=$region_gpa,force-raw=on" \
  -device "loader,file=$work/param.bin,addr=$param_gpa,force-raw=on" \
  -fw_cfg name=opt/tdshim/vmm-no-fwcfg,string=1 > "$work/console" 2>&1
rc=$?
tr -d '\r' < "$work/console" > "$work/out"
cat "$work/out"
fail=0
[ "$rc" = 35 ] || { echo "hostile-region: FAIL: QEMU exit $rc, expected 35 (shim fatal)"; fail=1; }
for p in "$@" "!^tdshim: linux: jump"; do
  if [ "${p#!}" != "$p" ]; then
    ! grep -Eq -- "${p#!}" "$work/out" || { echo "hostile-region: FAIL: matched '${p#!}'"; fail=1; }
  else
    grep -Eq -- "$p" "$work/out" || { echo "hostile-region: FAIL: no line matches '$p'"; fail=1; }
  fi
done
[ "$fail" = 0 ] && echo "hostile-region: ok: $case"
exit "$fail"
