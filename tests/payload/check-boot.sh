#!/usr/bin/env bash
# check-boot.sh CONSOLE [--image IMG --hob HOB [--payload-file F]] [--measure TDSHIM_MEASURE]
#               [--keep DIR]
#
# Cross-checks a booted console log of the test payload (docs/test-payload.md, "Harness"):
#  (a) rebuilds the CC event log file from the "tdpayload: log <off> <hex>" lines (offsets must be
#      contiguous and end at "log end size=<n> complete");
#  (b) runs tpm2_eventlog on it (exit 0, no WARN/ERROR) and compares its replayed sha384 PCR 1..4
#      with the payload's "tdpayload: rtmr<i> <hex>" lines (RTMR i = PCR i+1, docs/librtmr.md);
#  (c) with --image and --hob: `tdshim-measure rtmr --image IMG --hob HOB --log-out REF` must
#      write the same bytes (cmp) and print the same four RTMRs; --payload-file F is passed on
#      (the file the VMM loaded into the image's VMM-placed payload region, docs/handoff.md §1).
# Exit 0 when every comparison holds; 1 with a reason otherwise; 2 on usage errors.
set -euo pipefail
usage() { echo "usage: $0 CONSOLE [--image IMG --hob HOB [--payload-file F]] [--measure TOOL] [--keep DIR]" >&2; exit 2; }
[ $# -ge 1 ] || usage
console="$1"; shift
image=""; hob=""; measure="${TDSHIM_MEASURE:-tdshim-measure}"; keep=""; pfile=()
while [ $# -gt 0 ]; do
  case "$1" in
    --image) image="$2"; shift 2 ;;
    --hob) hob="$2"; shift 2 ;;
    --payload-file) pfile=(--payload-file "$2"); shift 2 ;;
    --measure) measure="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    *) usage ;;
  esac
done
[ -r "$console" ] || { echo "check-boot: cannot read $console" >&2; exit 2; }
if { [ -n "$image" ] && [ -z "$hob" ]; } || { [ -z "$image" ] && [ -n "$hob" ]; }; then usage; fi
if [ "${#pfile[@]}" != 0 ] && [ -z "$image" ]; then usage; fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "check-boot: FAIL: $*" >&2; exit 1; }
# The console has CR LF line ends and possibly other programs' lines: keep ours only.
tr -d '\r' < "$console" | grep '^tdpayload: ' > "$work/lines" || fail "no tdpayload lines"

# (a) the log file.
log="$work/ccel.bin"
: > "$log"
size=0
while read -r _ _ off hex; do
  [ "$((off))" -eq "$size" ] || fail "log line at offset $off, expected $(printf '0x%x' "$size")"
  [[ "$hex" =~ ^([0-9a-f]{2})+$ ]] || fail "log line at $off: not hex"
  printf '%s' "$hex" | xxd -r -p >> "$log"
  size=$(stat -c %s "$log")
done < <(grep -E '^tdpayload: log 0x[0-9a-f]+ ' "$work/lines")
end="$(grep -E '^tdpayload: log end size=' "$work/lines" | head -1)" || fail "no 'log end' line"
[[ "$end" == *" complete" ]] || fail "the payload truncated its dump: $end"
want=$(( $(sed -E 's/.*size=(0x[0-9a-f]+).*/\1/' <<<"$end") ))
[ "$size" -eq "$want" ] || fail "rebuilt $size bytes, the payload says $want"
echo "check-boot: log rebuilt: $size bytes"

# The payload's RTMRs (from its TDREPORT).
declare -a rtmr
for i in 0 1 2 3; do
  rtmr[i]="$(sed -nE "s/^tdpayload: rtmr$i ([0-9a-f]{96}) replay=.*/\1/p" "$work/lines" | head -1)"
  [ -n "${rtmr[$i]}" ] || fail "no rtmr$i line"
done

# (b) tpm2_eventlog.
out="$work/tpm2.yaml"
if ! tpm2_eventlog "$log" > "$out" 2> "$work/tpm2.err"; then
  cat "$work/tpm2.err" >&2; fail "tpm2_eventlog exited non-zero"
fi
if grep -qE 'WARN|ERROR' "$out" "$work/tpm2.err"; then
  grep -E 'WARN|ERROR' "$out" "$work/tpm2.err" >&2; fail "tpm2_eventlog warned"
fi
zero="$(printf '0%.0s' $(seq 96))"
for i in 0 1 2 3; do
  pcr=$((i + 1))
  # "pcrs:" / "  sha384:" / "    <pcr>  : 0x<hex>"; a PCR no event touched is not printed (zero).
  got="$(awk -v p="$pcr" '
    /^  sha384:/ {bank = 1; next}
    /^  [a-z0-9]+:/ {bank = 0}
    bank && $1 == p && $2 == ":" {sub(/^0x/, "", $3); print tolower($3)}' "$out" | tail -1)"
  [ -n "$got" ] || got="$zero"
  [ "$got" = "${rtmr[$i]}" ] || fail "tpm2_eventlog PCR $pcr = $got, TDREPORT RTMR$i = ${rtmr[$i]}"
done
echo "check-boot: tpm2_eventlog replay equals the TDREPORT RTMR0..3"

# (c) the reference log and RTMRs.
if [ -n "$image" ]; then
  ref="$work/ref.bin"
  "$measure" rtmr --image "$image" --hob "$hob" "${pfile[@]}" --log-out "$ref" > "$work/ref.txt" \
    || fail "$measure rtmr failed"
  cmp "$ref" "$log" >&2 || fail "the booted log differs from tdshim-measure's reference"
  for i in 0 1 2 3; do
    r="$(sed -nE "s/^RTMR$i ([0-9a-f]{96})$/\1/p" "$work/ref.txt")"
    [ "$r" = "${rtmr[$i]}" ] || fail "tdshim-measure RTMR$i = $r, TDREPORT = ${rtmr[$i]}"
  done
  echo "check-boot: the log equals tdshim-measure's reference byte for byte; RTMR0..3 agree"
fi
if [ -n "$keep" ]; then
  mkdir -p "$keep"; cp "$log" "$keep/ccel.bin"; cp "$out" "$keep/tpm2_eventlog.yaml"
fi
echo "check-boot: ok"
