#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# Boot with a TD HOB and check the shim's measurement of it against an independent computation
# with openssl (the test image, through the TD entry): the event digest SHA-384(HOB) and RTMR0 = SHA-384(48 zero bytes || digest) as the
# (emulated) TDX module reports it in TDREPORT (the Intel TDX Module ABI specification, TDG.MR.RTMR.EXTEND; TCG PFP log replay).
# usage: check-rtmr0.sh QEMU IMAGE HOB.bin
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
qemu="$1"; image="$2"; hob="$3"
size=$(stat -c %s "$hob")
digest=$(openssl dgst -sha384 -binary "$hob" | od -An -v -tx1 | tr -d ' \n')
rtmr0=$( (head -c 48 /dev/zero; openssl dgst -sha384 -binary "$hob") | openssl dgst -sha384 -binary |
         od -An -v -tx1 | tr -d ' \n')
export TDSHIM_HOB="$hob"
exec "$here/boot-test.sh" "$qemu" "$image" 33 - \
  "^tdshim: eventlog: event 1 mr=1 \\(rtmr0\\) type=0xa td_hob measured=$size bytes sha384=$digest\$" \
  "^tdshim: tdreport rtmr0=$rtmr0\$" "^tdshim: boot ok\$"
