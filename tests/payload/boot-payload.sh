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
# Secure boot (docs/secure-boot.md): with TDP_SIGN=tdshim-ecdsa|tdshim-rsa|cose the harness makes
# an owner key with openssl (never kept), signs the payload with tdshim-sign (SVN 5; td-shim's
# format, or COSE_Sign1 with the payload attached) and enrolls the key with a floor of 5 into the
# image's CFV with tdshim-enroll; the good boot is then checked as above (tdshim-measure predicts
# the secure-boot events). TDP_SB_CASE picks a refusal instead: wrong-key (signed by another key),
# unsigned (the plain payload), flip-payload (one byte of the payload flipped), flip-sig (the last
# signature byte flipped), rollback (signed with SVN 4); the boot must then end on the fatal path
# with the line TDP_SB_EXPECT (a regular expression) and QEMU exit status 35. The case
# required-no-anchor builds the image with --require-secure-boot and enrolls nothing.
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
sb_case="${TDP_SB_CASE:-good}"
if [ -n "${TDP_SIGN:-}" ]; then
  sign_tool="$(tool tdshim-sign)"; enroll_tool="$(tool tdshim-enroll)"
  [ -n "$sign_tool" ] && [ -n "$enroll_tool" ] || { echo "boot-payload: tdshim-sign/enroll missing"; exit 2; }
  case "$TDP_SIGN" in
    tdshim-ecdsa) keyopt=(-algorithm EC -pkeyopt ec_paramgen_curve:P-384); fmt=tdshim ;;
    tdshim-rsa) keyopt=(-algorithm RSA -pkeyopt rsa_keygen_bits:3072); fmt=tdshim ;;
    cose) keyopt=(-algorithm EC -pkeyopt ec_paramgen_curve:P-384); fmt=cose ;;
    *) echo "boot-payload: TDP_SIGN must be tdshim-ecdsa, tdshim-rsa or cose"; exit 2 ;;
  esac
  openssl genpkey "${keyopt[@]}" -out "$work/owner.pem" 2>/dev/null \
    || { echo "boot-payload: openssl genpkey failed"; exit 1; }
  key="$work/owner.pem"; svn=5
  case "$sb_case" in
    good|unsigned|flip-payload|flip-sig) ;;
    wrong-key) openssl genpkey "${keyopt[@]}" -out "$work/other.pem" 2>/dev/null \
                 || { echo "boot-payload: openssl genpkey failed"; exit 1; }
               key="$work/other.pem" ;;
    rollback) svn=4 ;;
    required-no-anchor) ;;
    *) echo "boot-payload: unknown TDP_SB_CASE '$sb_case'"; exit 2 ;;
  esac
  if [ "$sb_case" != unsigned ] && [ "$sb_case" != required-no-anchor ]; then
    "$sign_tool" --key "$key" --svn "$svn" --format "$fmt" -o "$work/signed" "$payload" \
      || { echo "boot-payload: tdshim-sign failed"; exit 1; }
    size=$(stat -c %s "$work/signed")
    flip() { # flip one bit of the byte at offset $1
      local b; b=$(od -An -tu1 -j "$1" -N1 "$work/signed" | tr -d ' ')
      printf "$(printf '\\%03o' $(( b ^ 1 )))" | dd of="$work/signed" bs=1 seek="$1" conv=notrunc 2>/dev/null
    }
    [ "$sb_case" = flip-payload ] && flip $(( size / 2 ))
    [ "$sb_case" = flip-sig ] && flip $(( size - 1 ))
    payload="$work/signed"
  fi
fi
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
require=()
[ "$sb_case" = required-no-anchor ] && require=(--require-secure-boot)
"$img_tool" --firmware "$fw" "${place[@]}" "${require[@]}" -o "$work/tdshim.img" > "$work/layout" \
  || { cat "$work/layout"; echo "boot-payload: tdshim-image ${place[0]} failed"; exit 1; }
if [ -n "${TDP_SIGN:-}" ] && [ "$sb_case" != required-no-anchor ]; then
  "$enroll_tool" --pubkey "$work/owner.pem" --min-svn 5 --image "$work/tdshim.img" \
    -o "$work/tdshim.img" > /dev/null || { echo "boot-payload: tdshim-enroll failed"; exit 1; }
fi
"$hob_tool" gen --mem "$mem" "${vmm_hob[@]}" "${accepted[@]}" \
  -o "$work/hob.bin" || { echo "boot-payload: tdshim-hob gen failed"; exit 1; }
TDSHIM_SMP="$smp" TDSHIM_MEM="$mem" "$here/../e2e/run-qemu.sh" "$qemu" "$work/tdshim.img" 20 \
  -device "loader,file=$work/hob.bin,addr=0x800000,force-raw=on" "${vmm_dev[@]}" "$@" \
  > "$work/console" 2>&1
rc=$?
tr -d '\r' < "$work/console"
fail=0
if [ "$sb_case" != good ]; then
  [ "$rc" = 35 ] || { echo "boot-payload: QEMU exit status $rc, expected 35 (fatal)"; fail=1; }
  grep -qE "${TDP_SB_EXPECT:?TDP_SB_EXPECT is required with TDP_SB_CASE}" \
      <(tr -d '\r' < "$work/console") \
    || { echo "boot-payload: no line matches '$TDP_SB_EXPECT'"; fail=1; }
  if grep -q '^tdpayload: ' <(tr -d '\r' < "$work/console"); then
    echo "boot-payload: the payload ran"; fail=1
  fi
  [ "$fail" = 0 ] && echo "boot-payload: ok (refused: $sb_case, ${TDP_SIGN:-unsigned})"
  exit "$fail"
fi
if [ -n "${TDP_SIGN:-}" ]; then
  for ev in secure_policy_db secure_authority td_payload_svn; do
    grep -qE "^tdshim: eventlog: event [0-9]+ mr=[12] .* $ev measured=" \
        <(tr -d '\r' < "$work/console") || { echo "boot-payload: no $ev event"; fail=1; }
  done
  grep -qE "^tdshim: secboot: (image payload|payload region) verified: .* svn=5 " \
      <(tr -d '\r' < "$work/console") || { echo "boot-payload: no 'verified' line"; fail=1; }
fi
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
[ "$fail" = 0 ] && echo "boot-payload: ok (format=$format smp=$smp mem=$mem placement=${TDP_PLACEMENT:-image} signed=${TDP_SIGN:-no})"
exit "$fail"
