#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# The tools refuse the truncated test image (hostile-image.sh truncated: the first 64 KiB cut
# off) that the shim refuses at boot (e2e_td_entry_hostile_image_truncated): tdshim-measure rtmr
# --image because the locators describe a larger image than the file, mrtd because the sections
# leave the file. Each: exit 1, the reason on stderr, nothing on stdout.
# usage: measure-refuses.sh TDSHIM-MEASURE IMAGE HOB
set -u
measure="$1"; image="$2"; hob="$3"
fail=0
errf="$(mktemp)"
trap 'rm -f "$errf"' EXIT
check() { # pattern, then the tdshim-measure arguments
    local pat="$1"; shift
    local out err rc
    out="$("$measure" "$@" 2> "$errf")"; rc=$?
    err="$(cat "$errf")"
    printf '%s\n' "$err"
    if [ "$rc" != 1 ] || [ -n "$out" ] || ! printf '%s\n' "$err" | grep -q -- "$pat"; then
        echo "measure-refuses: '$*' exit $rc, expected 1 with '$pat' and no output"; fail=1
    fi
}
check "footer table and td-shim pointer give an image size other than its length (truncated or padded image); the shim would refuse it" \
    rtmr --image "$image" --hob "$hob"
check "BFV/CFV data outside the image (section 0)" mrtd "$image"
check "raw data outside the image (section 0)" mrtd --any "$image"
exit "$fail"
