#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# One end-to-end boot check (tests/e2e/CMakeLists.txt).
# usage: boot-test.sh QEMU IMAGE EXPECTED_EXIT TEST_COMMAND|- PATTERN...
# Boots IMAGE (bounded by a timeout), optionally passing TEST_COMMAND to the shim through fw_cfg
# file opt/tdshim/test, then requires QEMU's exit status to be EXPECTED_EXIT and every extended
# regular expression PATTERN to match a line of the console output.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
qemu="$1"; image="$2"; want="$3"; cmd="$4"; shift 4
# Extra QEMU arguments (e.g. -device loader for a TD HOB) come from TDSHIM_QEMU_ARGS.
read -r -a extra <<< "${TDSHIM_QEMU_ARGS:-}"
if [ "$cmd" != "-" ]; then
  extra+=(-fw_cfg "name=opt/tdshim/test,string=$cmd")
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
"$here/run-qemu.sh" "$qemu" "$image" 20 "${extra[@]}" > "$log" 2>&1
rc=$?
out="$(tr -d '\r' < "$log")"
printf '%s\n' "$out"
fail=0
if [ "$rc" != "$want" ]; then
  echo "boot-test: exit status $rc, expected $want"; fail=1
fi
for pat in "$@"; do
  if ! printf '%s\n' "$out" | grep -Eq -- "$pat"; then
    echo "boot-test: no line matches: $pat"; fail=1
  fi
done
exit "$fail"
