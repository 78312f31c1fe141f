#!/usr/bin/env bash
# boot-payload.sh QEMU FW_BLOB PAYLOAD_ELF BIN_DIR [SMP [MEM [QEMU_ARGS...]]]
#
# The test payload's end-to-end boot (docs/test-payload.md, "Harness"): wraps the shim's BFV blob
# and the payload into an image (tdshim-image --payload, docs/handoff.md §1), plays the VMM's HOB
# part (tdshim-hob gen, loaded at 0x800000), boots it under QEMU TCG and requires
#  - QEMU exit status 65 (the payload wrote 0x20 to isa-debug-exit),
#  - "tdpayload: check <step> ok" for every step and "tdpayload: result pass",
#  - one "ap apic=<id> woken=1 reset=ok woken2=1" line per AP (SMP - 1),
# then runs check-boot.sh on the console (tpm2_eventlog and tdshim-measure comparisons).
# BIN_DIR holds tdshim-image, tdshim-hob and tdshim-measure (the hosted build's tools).
# Format: with TDP_FORMAT=pe (default elf) the image gets the payload's PE32+ build instead of
# PAYLOAD_ELF: TDP_PE, by default BIN_DIR/../tests/payload/tdshim_test_payload.efi (tdp_elf2pe's
# output in the same build tree). The payload must then report the Microsoft x64 entry
# ("entered ... abi=ms", "image ... format=pe abi=ok"); with elf, System V ("abi=sysv").
# Negative control: with TDP_CHECK_WRONG_HOB=1 the reference is computed from a HOB for other
# RAM (MEM doubled); the boot must still pass and check-boot.sh must then FAIL (exit status 3
# when it does, 1 when it wrongly agrees).
# TDP_PLACEMENT=vmm: the payload is placed by the VMM (docs/handoff.md §1): the image gets
# --payload-region 0x4000000,<payload size rounded up to 2 MiB>, QEMU's loader device plays the VMM
# writing the payload file there, the HOB marks the region accepted (the VMM added it), and
# check-boot.sh gives tdshim-measure the file with --payload-file. Default (image): --payload FILE.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
qemu="$1"; fw="$2"; elf="$3"; bin="$4"; smp="${5:-1}"; mem="${6:-256M}"
shift $(( $# < 6 ? $# : 6 )) # the rest goes to QEMU (e.g. -fw_cfg name=opt/tdshim/accept-limit,...)
tool() { find "$bin" -type f -name "$1" -perm -u+x | head -1; }
case "${TDP_FORMAT:-elf}" in
  elf) payload="$elf"; format=elf; abi=sysv; magic=7f454c46 ;;
  pe) payload="${TDP_PE:-$bin/../tests/payload/tdshim_test_payload.efi}"; format=pe; abi=ms
      magic=4d5a ;;
  *) echo "boot-payload: TDP_FORMAT must be elf or pe, not '$TDP_FORMAT'"; exit 2 ;;
esac
[ -f "$payload" ] || { echo "boot-payload: payload $payload missing"; exit 2; }
got="$(head -c "$(( ${#magic} / 2 ))" "$payload" | od -An -tx1 | tr -d ' \n')"
[ "$got" = "$magic" ] \
  || { echo "boot-payload: $payload is not a $format file (starts $got)"; exit 2; }
img_tool="$(tool tdshim-image)"; hob_tool="$(tool tdshim-hob)"; measure="$(tool tdshim-measure)"
for t in "$img_tool" "$hob_tool" "$measure"; do
  [ -n "$t" ] || { echo "boot-payload: tool missing under $bin"; exit 2; }
done
# The harness's standard VMM layout (TempMem added, the emulator's part reserved).
mapfile -t vmm_hob < "$here/../e2e/test-vmm-hob.args"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
place=(--payload "$payload"); accepted=(); vmm_dev=(); check_file=()
case "${TDP_PLACEMENT:-image}" in
  image) ;;
  vmm)
    region=$(( ($(stat -c %s "$payload") + 0x1FFFFF) / 0x200000 * 0x200000 ))
    place=(--payload-region "0x4000000,$region")
    accepted=(--accepted "0x4000000:$region")
    vmm_dev=(-device "loader,file=$payload,addr=0x4000000,force-raw=on")
    check_file=(--payload-file "$payload") ;;
  *) echo "boot-payload: TDP_PLACEMENT must be image or vmm"; exit 2 ;;
esac
"$img_tool" --firmware "$fw" "${place[@]}" -o "$work/tdshim.img" > "$work/layout" \
  || { cat "$work/layout"; echo "boot-payload: tdshim-image ${place[0]} failed"; exit 1; }
"$hob_tool" gen --mem "$mem" "${vmm_hob[@]}" "${accepted[@]}" \
  -o "$work/hob.bin" || { echo "boot-payload: tdshim-hob gen failed"; exit 1; }
TDSHIM_SMP="$smp" TDSHIM_MEM="$mem" "$here/../e2e/run-qemu.sh" "$qemu" "$work/tdshim.img" 20 \
  -device "loader,file=$work/hob.bin,addr=0x800000,force-raw=on" "${vmm_dev[@]}" "$@" \
  > "$work/console" 2>&1
rc=$?
tr -d '\r' < "$work/console"
fail=0
[ "$rc" = 65 ] || { echo "boot-payload: QEMU exit status $rc, expected 65 (payload pass)"; fail=1; }
for step in entry image hob madt eventlog accept aps; do
  grep -q "^tdpayload: check $step ok" <(tr -d '\r' < "$work/console") \
    || { echo "boot-payload: step $step did not pass"; fail=1; }
done
grep -q '^tdpayload: result pass' <(tr -d '\r' < "$work/console") \
  || { echo "boot-payload: no 'result pass'"; fail=1; }
grep -qE "^tdpayload: entered hob=0x[0-9a-f]+ base=0x[0-9a-f]+ abi=$abi\$" \
    <(tr -d '\r' < "$work/console") \
  || { echo "boot-payload: the payload was not entered with abi=$abi"; fail=1; }
grep -qE "^tdpayload: image .* format=$format abi=ok base=ok\$" <(tr -d '\r' < "$work/console") \
  || { echo "boot-payload: the payload did not run as a $format image"; fail=1; }
aps="$(tr -d '\r' < "$work/console" | grep -cE '^tdpayload: ap apic=[0-9]+ woken=1 reset=ok woken2=1$')"
[ "$aps" = "$((smp - 1))" ] || { echo "boot-payload: $aps APs passed, expected $((smp - 1))"; fail=1; }
if [ "${TDP_CHECK_WRONG_HOB:-0}" = 1 ]; then
  "$hob_tool" gen --mem 512M "${vmm_hob[@]}" "${accepted[@]}" \
    -o "$work/other.bin" || { echo "boot-payload: tdshim-hob gen failed"; exit 1; }
  if bash "$here/check-boot.sh" "$work/console" --image "$work/tdshim.img" \
      --hob "$work/other.bin" --measure "$measure" "${check_file[@]}"; then
    echo "boot-payload: check-boot.sh accepted a reference from another HOB"; exit 1
  fi
  [ "$fail" = 0 ] && { echo "boot-payload: negative control ok"; exit 3; }
  exit 1
fi
bash "$here/check-boot.sh" "$work/console" --image "$work/tdshim.img" --hob "$work/hob.bin" \
  --measure "$measure" "${check_file[@]}" || fail=1
[ "$fail" = 0 ] && echo "boot-payload: ok (format=$format smp=$smp mem=$mem placement=${TDP_PLACEMENT:-image})"
exit "$fail"
