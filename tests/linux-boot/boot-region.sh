#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# boot-region.sh QEMU FIRMWARE BIN_DIR KERNEL SMP MEM CASE CMDLINE
#
# One Linux boot from a payload region the VMM fills (docs/linux-boot.md "From a VMM-placed
# region"), in the emulated TD (the test image's TD entry), QEMU TCG, with no -kernel: the
# harness builds an image with --payload-region (and a PayloadParam section), a TD HOB
# (tdshim-hob gen) that lists the region as accepted RAM, and loads the bzImage (and the command
# line) with QEMU's loader device, which plays the VMM. No initrd: the kernel panics when it cannot
# mount a root file system and, with panic=-1 in CMDLINE, reboots (QEMU -no-reboot exits).
# CASE:
#   param-region  fw_cfg present (QEMU's ACPI tables), the command line in a VMM-filled
#                 PayloadParam region (--param-region)
#   hob           fw_cfg hidden from the TD (opt/tdshim/vmm-no-fwcfg), the command line in the TD
#                 HOB (tdshim-hob gen --cmdline), the shim's own ACPI tables
#   image         fw_cfg hidden, the command line in the image (--param-cmdline, MR.EXTEND)
# Checked: the kernel's "Command line:" is CMDLINE exactly, every vCPU came up ("smp: Brought up
# 1 node, SMP CPUs"), the shim took the region path, and the RTMRs the TDX module reported before
# the jump equal tdshim-measure's prediction from the image, the HOB, the bzImage (--payload-file),
# the command line file and, with fw_cfg, QEMU's ACPI files as the emulated VMM dumped them.
# Secure boot: with TDSHIM_REGION_SIGN=1 the region holds the bzImage signed in td-shim's format
# (ECDSA P-384, a key made by openssl at test time, SVN 2) and the image's CFV trusts that key
# (tdshim-enroll, floor 2): the shim verifies the region, logs secure_policy_db,
# secure_authority and td_payload_svn, and boots the authenticated kernel inside it
# (ccel_boot_plan_linux_region_secure*); tdshim-measure predicts the same. The cross-check of
# RTMR1 against the unsigned fw_cfg path is then skipped (RTMR1 also holds the SVN).
set -u
here="$(cd "$(dirname "$0")" && pwd)"
qemu="$1"; fw="$2"; bin="$3"; kernel="$4"; smp="$5"; mem="$6"; case="$7"; cmdline="$8"
tool() { echo "$bin/tools/$1/$1"; }
work="$(mktemp -d)"
trap '[ -n "${TDSHIM_KEEP:-}" ] && echo "boot-region: kept $work" || rm -rf "$work"' EXIT
fail() { echo "boot-region: FAIL: $*"; exit 1; }

region_gpa=0x30000000
param_gpa=0x2ff00000
sign="${TDSHIM_REGION_SIGN:-}"
kfile="$kernel"
kernel_at="$region_gpa"
if [ -n "$sign" ]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$work/owner.pem" \
    2>/dev/null || fail "openssl genpkey failed"
  "$(tool tdshim-sign)" --key "$work/owner.pem" --svn 2 -o "$work/kernel.signed" "$kernel" \
    > /dev/null || fail "tdshim-sign refused"
  kfile="$work/kernel.signed"
  kernel_at=$(printf '0x%x' $(( region_gpa + 48 ))) # after the 48-byte header
fi
ksize=$(stat -c %s "$kfile")
region=$(( (ksize + 0x1FFFFF) / 0x200000 * 0x200000 ))
mapfile -t vmm_hob < "$here/../e2e/test-vmm-hob.args"
img_args=(--payload-region "$region_gpa,$region")
hob_args=(--accepted "$region_gpa:$region")
qargs=(-device "loader,file=$kfile,addr=$region_gpa,force-raw=on")
measure_args=(--payload-file "$kfile")
case "$case" in
  param-region)
    printf '%s\0' "$cmdline" > "$work/param.bin"
    img_args+=(--param-region "$param_gpa,0x1000")
    hob_args+=("$param_gpa:0x1000")
    qargs+=(-device "loader,file=$work/param.bin,addr=$param_gpa,force-raw=on"
      -fw_cfg name=opt/tdshim/dump-acpi,string=1)
    measure_args+=(--param-file "$work/param.bin") ;;
  hob)
    hob_args+=(--cmdline "$cmdline")
    qargs+=(-fw_cfg name=opt/tdshim/vmm-no-fwcfg,string=1) ;;
  image)
    img_args+=(--param-cmdline "$cmdline" --param-mr-extend)
    qargs+=(-fw_cfg name=opt/tdshim/vmm-no-fwcfg,string=1) ;;
  *) echo "boot-region: CASE must be param-region, hob or image"; exit 2 ;;
esac
"$(tool tdshim-image)" --firmware "$fw" "${img_args[@]}" -o "$work/tdshim.img" > "$work/layout" ||
  { cat "$work/layout"; fail "tdshim-image refused"; }
"$(tool tdshim-hob)" gen --mem "$mem" "${vmm_hob[@]}" "${hob_args[@]}" -o "$work/hob.bin" ||
  fail "tdshim-hob gen refused"
if [ -n "$sign" ]; then
  "$(tool tdshim-enroll)" --pubkey "$work/owner.pem" --min-svn 2 --image "$work/tdshim.img" \
    -o "$work/tdshim.img" > /dev/null || fail "tdshim-enroll refused"
fi
start=$(date +%s.%N)
TDSHIM_SMP="$smp" TDSHIM_MEM="$mem" TDSHIM_HOB="$work/hob.bin" TDSHIM_SHARED_ALIAS=1 \
  "$here/../e2e/run-qemu.sh" "$qemu" "$work/tdshim.img" "${TDSHIM_LINUX_TIMEOUT:-60}" \
  "${qargs[@]}" > "$work/console" 2>&1
rc=$?
end=$(date +%s.%N)
tr -d '\r' < "$work/console" | grep -v '^tdtest: acpi-data ' > "$work/out"
cat "$work/out"
printf 'boot-region: %s, %s vCPUs, %s: qemu exit %s after %.2f s\n' "$case" "$smp" "$mem" "$rc" \
  "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"
[ "$rc" = 0 ] || fail "QEMU exit status $rc, expected 0 (the kernel's reboot after its panic)"
grep -q "^tdshim: linux: kernel from the VMM-placed payload region $kernel_at-" "$work/out" ||
  fail "the shim did not take the region path"
if [ -n "$sign" ]; then
  grep -qE "^tdshim: secboot: payload region verified: format=td-shim algorithm=ecdsa-p384 svn=2 " \
    "$work/out" || fail "the region was not verified"
  for ev in secure_policy_db secure_authority td_payload_svn; do
    grep -qE "^tdshim: eventlog: event [0-9]+ mr=[12] .* $ev measured=" "$work/out" ||
      fail "no $ev event"
  done
fi
got="$(sed -nE 's/^\[ *[0-9.]+\] Command line: (.*)$/\1/p' "$work/out" | head -1)"
[ "$got" = "$cmdline" ] || fail "the kernel's command line is '$got', expected '$cmdline'"
grep -Eq "smp: Brought up 1 node, $smp CPUs?$" "$work/out" ||
  fail "not every vCPU came up (no 'smp: Brought up 1 node, $smp CPU(s)')"
acpi=()
if [ "$case" = param-region ]; then
  # The emulated VMM's dump of QEMU's ACPI files (tests/fw/fw_vmm.c), as boot-linux.sh takes it.
  tr -d '\r' < "$work/console" > "$work/console.raw"
  python3 "$here/check-linux.py" --acpi-only "$work/console.raw" --acpi-dir "$work/acpi" ||
    fail "no ACPI dump"
  while read -r f; do acpi+=(--acpi-file "$f"); done < "$work/acpi/order"
fi
"$(tool tdshim-measure)" rtmr --image "$work/tdshim.img" --hob "$work/hob.bin" \
  "${measure_args[@]}" "${acpi[@]}" > "$work/ref.txt" ||
  { cat "$work/ref.txt"; fail "tdshim-measure refused"; }
for i in 0 1 2 3; do
  got="$(sed -nE "s/^tdshim: tdreport rtmr$i=([0-9a-f]{96})$/\1/p" "$work/out" | tail -1)"
  want="$(sed -nE "s/^RTMR$i ([0-9a-f]{96})$/\1/p" "$work/ref.txt")"
  [ -n "$got" ] && [ "$got" = "$want" ] || fail "RTMR$i: module $got, reference $want"
done
if [ -n "$sign" ]; then
  echo "boot-region: ok: $case (signed): command line, $smp CPUs, the region verified, RTMR0..3" \
    "as tdshim-measure predicts"
  exit 0
fi
# One reference value whatever the source: RTMR1 (kernel, empty initrd, command line, separator)
# is the one tdshim-measure predicts for the same bzImage and command line from QEMU fw_cfg
# (-kernel/-append without -initrd). The fw_cfg plan needs ACPI files; RTMR1 does not depend on
# them (a stand-in file when this boot had none).
[ ${#acpi[@]} -ne 0 ] || { printf 'stand-in' > "$work/acpi-standin"; acpi=(--acpi-file "$work/acpi-standin"); }
"$(tool tdshim-measure)" rtmr --hob "$work/hob.bin" --linux-kernel "$kernel" \
  --linux-cmdline "$cmdline" "${acpi[@]}" > "$work/fwcfg.txt" ||
  { cat "$work/fwcfg.txt"; fail "tdshim-measure (fw_cfg plan) refused"; }
r1="$(sed -nE 's/^RTMR1 ([0-9a-f]{96})$/\1/p' "$work/ref.txt")"
f1="$(sed -nE 's/^RTMR1 ([0-9a-f]{96})$/\1/p' "$work/fwcfg.txt")"
[ -n "$r1" ] && [ "$r1" = "$f1" ] || fail "RTMR1 $r1 differs from the fw_cfg path's $f1"
if [ "$case" = param-region ]; then
  # Same HOB, same QEMU ACPI files: the whole boot measures as the fw_cfg kernel path would.
  cmp -s <(grep '^RTMR' "$work/ref.txt") <(grep '^RTMR' "$work/fwcfg.txt") ||
    fail "RTMR0..3 differ from the fw_cfg path's for the same kernel, command line and ACPI"
fi
echo "boot-region: ok: $case: command line, $smp CPUs, RTMR0..3 as tdshim-measure predicts," \
  "RTMR1 as for the same kernel from fw_cfg"
