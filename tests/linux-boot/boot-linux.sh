#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# boot-linux.sh QEMU IMAGE BIN_DIR KERNEL INITRD td|plain SMP MEM CMDLINE [QEMU_ARGS...]
#
# One Linux boot through the shim (docs/linux-boot.md), QEMU TCG, -kernel KERNEL -initrd INITRD
# -append CMDLINE:
#   td     the test image through the TD entry, with a TD HOB for MEM (test-vmm-hob.args) and
#          shared memory apart from private RAM, where the emulated VMM points QEMU's fw_cfg DMA
#          (the bounce buffer is shared memory: TDSHIM_SHARED_ALIAS=separate, run-qemu.sh);
#   plain  the production image on a plain VM.
# Requires QEMU's exit status 0 (ACPI power-off from the initramfs's /init), and check-linux.py's
# checks (userspace, the exact command line, SMP CPUs, MemTotal); in a TD also that the CC event
# log the kernel finds through its CCEL table is byte for byte the one tdshim-measure predicts
# for this HOB, QEMU's ACPI files (as the emulated VMM dumped them), kernel, initrd and command
# line, that it replays (tdshim-eventlog verify, tpm2_eventlog) to the RTMRs the TDX module
# reported before the hand-off, and that every fw_cfg DMA went to shared memory.
# Secure boot (td only, docs/secure-boot.md): TDSHIM_LINUX_SIGN=good makes a P-384 key with
# openssl (at test time, never kept), enrolls it into a copy of IMAGE's CFV (tdshim-enroll, floor
# 3), signs the kernel, initrd and command line with one detached COSE_Sign1 (tdshim-sign --format
# linux, SVN 3) and gives it to the shim as fw_cfg opt/tdshim/payload-sig; the reference then
# includes the secure-boot events (tdshim-measure --cfv --payload-sig). The refusals stop before
# the kernel runs, each on its fatal line: unsigned (no signature file: 0x9010), other-cmdline
# (signed over another command line: 0x9012), rollback (signed with SVN 2: 0x9013).
set -u
here="$(cd "$(dirname "$0")" && pwd)"
qemu="$1"; image="$2"; bin="$3"; kernel="$4"; initrd="$5"; mode="$6"; smp="$7"; mem="$8"
cmdline="$9"; shift 9
tool() { echo "$bin/tools/$1/$1"; }
work="$(mktemp -d)"
trap '[ -n "${TDSHIM_KEEP:-}" ] && echo "boot-linux: kept $work" || rm -rf "$work"' EXIT
env=(TDSHIM_SMP="$smp" TDSHIM_MEM="$mem")
if [ "$mode" = td ]; then
  mapfile -t vmm_hob < "$here/../e2e/test-vmm-hob.args"
  "$(tool tdshim-hob)" gen --mem "$mem" "${vmm_hob[@]}" -o "$work/hob.bin" ||
    { echo "boot-linux: tdshim-hob gen failed"; exit 2; }
  env+=(TDSHIM_HOB="$work/hob.bin" TDSHIM_SHARED_ALIAS=separate)
  # The emulated VMM dumps QEMU's ACPI files for the reference (tests/fw/fw_vmm.c).
  set -- -fw_cfg name=opt/tdshim/dump-acpi,string=1 "$@"
fi
sb_refs=()
sign="${TDSHIM_LINUX_SIGN:-}"
if [ -n "$sign" ]; then
  [ "$mode" = td ] || { echo "boot-linux: TDSHIM_LINUX_SIGN is for td"; exit 2; }
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$work/owner.pem" \
    2>/dev/null || { echo "boot-linux: openssl genpkey failed"; exit 2; }
  "$(tool tdshim-enroll)" --pubkey "$work/owner.pem" --min-svn 3 --image "$image" \
    -o "$work/image.img" > /dev/null || { echo "boot-linux: tdshim-enroll failed"; exit 2; }
  "$(tool tdshim-enroll)" --pubkey "$work/owner.pem" --min-svn 3 --cfv-out "$work/cfv.bin" \
    > /dev/null || { echo "boot-linux: tdshim-enroll --cfv-out failed"; exit 2; }
  image="$work/image.img"
  svn=3; signed_cmdline="$cmdline"
  case "$sign" in
    good|unsigned) ;;
    other-cmdline) signed_cmdline="$cmdline x" ;;
    rollback) svn=2 ;;
    *) echo "boot-linux: unknown TDSHIM_LINUX_SIGN '$sign'"; exit 2 ;;
  esac
  if [ "$sign" != unsigned ]; then
    "$(tool tdshim-sign)" --key "$work/owner.pem" --svn "$svn" --format linux \
      --initrd "$initrd" --cmdline "$signed_cmdline" -o "$work/payload-sig" "$kernel" > /dev/null \
      || { echo "boot-linux: tdshim-sign --format linux failed"; exit 2; }
    set -- -fw_cfg "name=opt/tdshim/payload-sig,file=$work/payload-sig" "$@"
    sb_refs=(--cfv "$work/cfv.bin" --payload-sig "$work/payload-sig")
  fi
fi
start=$(date +%s.%N)
env "${env[@]}" "$here/../e2e/run-qemu.sh" "$qemu" "$image" "${TDSHIM_LINUX_TIMEOUT:-60}" -kernel "$kernel" \
  -initrd "$initrd" -append "$cmdline" "$@" > "$work/console" 2>&1
rc=$?
end=$(date +%s.%N)
tr -d '\r' < "$work/console" | grep -v '^tdinit: log \|^tdtest: acpi-data '
printf 'boot-linux: %s, %s vCPUs, %s: qemu exit %s after %.2f s\n' "$mode" "$smp" "$mem" "$rc" \
  "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"
if [ -n "$sign" ] && [ "$sign" != good ]; then
  case "$sign" in
    unsigned) want='^tdshim: FATAL: code=0x9010 secure boot: linux \(no fw_cfg opt/tdshim/payload-sig\) refused: unsigned$' ;;
    other-cmdline) want='^tdshim: FATAL: code=0x9012 secure boot: linux refused: signature$' ;;
    rollback) want='^tdshim: FATAL: code=0x9013 secure boot: linux refused: svn-rollback$' ;;
  esac
  [ "$rc" = 35 ] || { echo "boot-linux: FAIL: QEMU exit status $rc, expected 35 (fatal)"; exit 1; }
  tr -d '\r' < "$work/console" | grep -qE "$want" ||
    { echo "boot-linux: FAIL: no line matches '$want'"; exit 1; }
  if tr -d '\r' < "$work/console" | grep -q '^tdshim: linux: jump'; then
    echo "boot-linux: FAIL: the kernel was entered"; exit 1
  fi
  echo "boot-linux: ok: refused ($sign) before the kernel ran"
  exit 0
fi
[ "$rc" = 0 ] || { echo "boot-linux: FAIL: QEMU exit status $rc, expected 0 (ACPI power-off)"; exit 1; }
if [ "$mode" != td ]; then
  exec python3 "$here/check-linux.py" "$work/console" "$smp" "$mem" "$cmdline"
fi
python3 "$here/check-linux.py" "$work/console" "$smp" "$mem" "$cmdline" --ccel-log "$work/ccel.bin" \
  --acpi-dir "$work/acpi" || exit 1
grep -q "^tdtest: vmm: [0-9]* fw_cfg DMA transfers, every one into shared memory" "$work/console" ||
  { echo "boot-linux: FAIL: no report of the fw_cfg DMA check"; exit 1; }
# Where the kernel and the initrd were hashed: inline on the BSP with one vCPU, else on APs while
# the BSP read (AP 1 both with two vCPUs, AP 1 the kernel and AP 2 the initrd from three on).
hashed="$(sed -nE 's/^tdshim: linux: (kernel hashed on vcpu 1, initrd on vcpu [12]), while the BSP read\r?$/\1/p' \
  "$work/console")"
case "$smp" in
  1) want_hashed="" ;;
  2) want_hashed="kernel hashed on vcpu 1, initrd on vcpu 1" ;;
  *) want_hashed="kernel hashed on vcpu 1, initrd on vcpu 2" ;;
esac
[ "$hashed" = "$want_hashed" ] ||
  { echo "boot-linux: FAIL: hashing report '$hashed', expected '$want_hashed'"; exit 1; }
acpi=()
while read -r f; do acpi+=(--acpi-file "$f"); done < "$work/acpi/order"
"$(tool tdshim-measure)" rtmr --hob "$work/hob.bin" "${acpi[@]}" --linux-kernel "$kernel" \
  --linux-initrd "$initrd" --linux-cmdline "$cmdline" "${sb_refs[@]}" --log-out "$work/ref.bin" \
  > "$work/ref.txt" ||
  { cat "$work/ref.txt"; echo "boot-linux: FAIL: tdshim-measure refused"; exit 1; }
cmp -s "$work/ref.bin" "$work/ccel.bin" ||
  { echo "boot-linux: FAIL: the kernel's CC event log differs from tdshim-measure's reference"; exit 1; }
args=()
for i in 0 1 2 3; do
  got="$(sed -nE "s/^tdshim: tdreport rtmr$i=([0-9a-f]{96})\r?$/\1/p" "$work/console" | tail -1)"
  want="$(sed -nE "s/^RTMR$i ([0-9a-f]{96})$/\1/p" "$work/ref.txt")"
  [ -n "$got" ] && [ "$got" = "$want" ] ||
    { echo "boot-linux: FAIL: RTMR$i: module $got, reference $want"; exit 1; }
  args+=("--rtmr$i" "$got")
done
"$(tool tdshim-eventlog)" verify "${args[@]}" "$work/ccel.bin" > "$work/verify" ||
  { cat "$work/verify"; echo "boot-linux: FAIL: the log does not replay to the RTMRs"; exit 1; }
tpm2_eventlog "$work/ccel.bin" > /dev/null 2>&1 ||
  { echo "boot-linux: FAIL: tpm2_eventlog cannot read the log"; exit 1; }
if [ "$sign" = good ]; then
  for ev in secure_policy_db secure_authority td_payload_svn; do
    tr -d '\r' < "$work/console" | grep -qE "^tdshim: eventlog: event [0-9]+ mr=[12] .* $ev measured=" ||
      { echo "boot-linux: FAIL: no $ev event"; exit 1; }
  done
  echo "boot-linux: secure boot: kernel, initrd and command line verified (one detached COSE_Sign1)"
fi
echo "boot-linux: ok: the log the kernel found equals tdshim-measure's reference byte for byte and replays to RTMR0..3"
