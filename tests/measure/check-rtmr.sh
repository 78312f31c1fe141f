#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# tdshim-measure rtmr against an independent computation with openssl (tdx-abi.md 9.4:
# RTMR = SHA-384(RTMR || digest), from 48 zero bytes) and against tdshim-eventlog's replay.
# usage: check-rtmr.sh CASE MEASURE HOBTOOL EVENTLOG
set -euo pipefail
case_="$1"; measure="$2"; hobtool="$3"; eventlog="$4"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cd "$work"

fail() { echo "FAIL: $*" >&2; exit 1; }
# hex SHA-384 of a file / of stdin
h() { openssl dgst -sha384 -binary "$1" | od -An -v -tx1 | tr -d ' \n'; }
# fold REG_HEX DIGEST_HEX -> SHA-384(REG || DIGEST)
fold() { printf "$(printf '%s%s' "$1" "$2" | sed 's/../\\x&/g')" | openssl dgst -sha384 -binary |
         od -An -v -tx1 | tr -d ' \n'; }
zero=$(printf '0%.0s' $(seq 96))
# the RTMR lines of the tool's text output
rtmr() { grep "^RTMR$1 " out.txt | cut -d' ' -f2; }
expect() { [ "$(rtmr "$1")" = "$2" ] || fail "RTMR$1 = $(rtmr "$1"), expected $2"; }
verify_log() {   # the written log replays (tdshim-eventlog) to the printed values
    "$eventlog" verify --rtmr0 "$(rtmr 0)" --rtmr1 "$(rtmr 1)" --rtmr2 "$(rtmr 2)" \
        --rtmr3 "$(rtmr 3)" log.bin > verify.txt || { cat verify.txt; fail "eventlog verify"; }
}
# must fail with exit status $1 and stderr matching $2
refuse() {
    local want="$1" pat="$2"; shift 2
    set +e; "$measure" rtmr "$@" > out.txt 2> err.txt; local rc=$?; set -e
    [ "$rc" = "$want" ] || { cat err.txt; fail "exit $rc, expected $want for: $*"; }
    grep -q -- "$pat" err.txt || { cat err.txt; fail "stderr lacks '$pat'"; }
    [ ! -s out.txt ] || fail "printed RTMRs for a refused input"
    [ ! -e log.bin ] || fail "wrote a log for a refused input"
}

"$hobtool" gen --mem 256M -o hob.bin
dh=$(h hob.bin)
r0=$(fold "$zero" "$dh")
printf 'console=ttyS0 root=/dev/vda\n' > param.bin
head -c 12345 /dev/urandom > payload.bin
dp=$(h payload.bin); dq=$(h param.bin)
dsep=$(printf '\0\0\0\0' | openssl dgst -sha384 -binary | od -An -v -tx1 | tr -d ' \n')

case "$case_" in
hob)  # today's firmware: RTMR0 only
    "$measure" rtmr --hob hob.bin --log-out log.bin > out.txt
    expect 0 "$r0"; expect 1 "$zero"; expect 2 "$zero"; expect 3 "$zero"
    verify_log
    [ "$("$eventlog" dump --json log.bin | grep -o '"event":' | wc -l)" = 1 ] || fail "one event"
    "$eventlog" dump log.bin | grep -q "config 'td_hob' info $(stat -c %s hob.bin) bytes" ||
        fail "td_hob event data"
    ;;
hob-gpa)  # the GPA QEMU loads it at (tdshim-hob gen's default) gives the same; a wrong one fails
    "$measure" rtmr --hob hob.bin --hob-gpa 0x800000 > out.txt
    expect 0 "$r0"
    refuse 1 "EfiEndOfHobList" --hob hob.bin --hob-gpa 0x801000
    ;;
trailing)  # the TD_HOB section is larger than the list: bytes after END are not measured
    cp hob.bin sec.bin; head -c 4096 /dev/urandom >> sec.bin
    "$measure" rtmr --hob sec.bin > out.txt
    expect 0 "$r0"
    ;;
payload)  # planned: payload and its parameter into RTMR1, no separators
    "$measure" rtmr --hob hob.bin --payload payload.bin --payload-param param.bin \
        --log-out log.bin > out.txt
    expect 0 "$r0"; expect 1 "$(fold "$(fold "$zero" "$dp")" "$dq")"
    expect 2 "$zero"; expect 3 "$zero"
    verify_log
    ;;
separators)  # planned td-shim Linux order: HOB, sep MR1, sep MR2, payload, cmdline
    "$measure" rtmr --hob hob.bin --separators --payload payload.bin \
        --cmdline 'console=ttyS0 root=/dev/vda' --log-out log.bin > out.txt
    dc=$(printf 'console=ttyS0 root=/dev/vda' | openssl dgst -sha384 -binary | od -An -v -tx1 | tr -d ' \n')
    expect 0 "$(fold "$r0" "$dsep")"
    expect 1 "$(fold "$(fold "$(fold "$zero" "$dsep")" "$dp")" "$dc")"
    verify_log
    ;;
json)
    "$measure" rtmr --hob hob.bin --payload payload.bin --json > j.txt
    grep -q "^{\"rtmr0\":\"$r0\",\"rtmr1\":\"$(fold "$zero" "$dp")\",\"rtmr2\":\"$zero\",\"rtmr3\":\"$zero\",\"log_bytes\":[0-9]*}\$" j.txt ||
        { cat j.txt; fail "json"; }
    ;;
hostile)
    head -c 208 /dev/urandom > rnd.bin
    refuse 1 "invalid TD HOB" --hob rnd.bin --log-out log.bin
    head -c $(( $(stat -c %s hob.bin) - 8 )) hob.bin > noend.bin     # END HOB cut off
    refuse 1 "invalid TD HOB" --hob noend.bin --log-out log.bin
    cp hob.bin phit.bin; printf '\x08' | dd of=phit.bin bs=1 seek=8 conv=notrunc 2>/dev/null
    refuse 1 "PHIT version" --hob phit.bin --log-out log.bin        # PHIT Version 9 -> 8
    : > empty.bin
    refuse 1 "invalid TD HOB" --hob empty.bin --log-out log.bin
    refuse 1 "cannot read HOB" --hob missing.bin --log-out log.bin
    refuse 1 "cannot read payload" --hob hob.bin --payload missing.bin --log-out log.bin
    refuse 1 "cannot read payload parameter" --hob hob.bin --payload-param missing.bin
    refuse 2 "required" --payload payload.bin
    refuse 2 "exclusive" --hob hob.bin --payload-param param.bin --cmdline x
    refuse 2 "48 or 52" --hob hob.bin --gpaw 40
    refuse 2 "unknown option" --hob hob.bin --bogus 1
    refuse 2 "missing value" --hob
    ;;
*) fail "unknown case $case_" ;;
esac
echo "ok: $case_"
