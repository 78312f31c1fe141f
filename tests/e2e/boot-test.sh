#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# One end-to-end boot check (tests/e2e/CMakeLists.txt).
# usage: boot-test.sh QEMU IMAGE EXPECTED_EXIT TEST_COMMAND|- PATTERN...
# Boots IMAGE (run-qemu.sh, bounded by a timeout), optionally passing TEST_COMMAND to the shim
# through fw_cfg file opt/tdshim/test, then requires QEMU's exit status to be EXPECTED_EXIT and
# every extended regular expression PATTERN to match a line of the console output; a PATTERN
# written !REGEX must match no line.
# EXPECTED_EXIT "stopped": the firmware is expected to halt (the production image has no
# debug-exit device to leave through): the console is watched and QEMU is stopped as soon as a
# line matches TDSHIM_STOP_AT (required then); a timeout instead is a failure.
# Extra QEMU arguments come from TDSHIM_QEMU_ARGS; TDSHIM_SMP, TDSHIM_MEM, TDSHIM_HOB as in
# run-qemu.sh.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
qemu="$1"; image="$2"; want="$3"; cmd="$4"; shift 4
read -r -a extra <<< "${TDSHIM_QEMU_ARGS:-}"
if [ "$cmd" != "-" ]; then
  extra+=(-fw_cfg "name=opt/tdshim/test,string=$cmd")
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if [ "$want" = stopped ]; then
  [ -n "${TDSHIM_STOP_AT:-}" ] || { echo "boot-test: 'stopped' needs TDSHIM_STOP_AT"; exit 2; }
  # Its own process group (setsid), so QEMU under timeout(1) goes with it.
  setsid "$here/run-qemu.sh" "$qemu" "$image" 20 "${extra[@]}" > "$log" 2>&1 &
  pid=$!
  rc=timeout
  for _ in $(seq 1 400); do
    if tr -d '\r' < "$log" | grep -Eq -- "$TDSHIM_STOP_AT"; then
      rc=stopped
      break
    fi
    kill -0 "$pid" 2>/dev/null || { wait "$pid"; rc=$?; break; }
    sleep 0.05
  done
  kill -- "-$pid" 2>/dev/null; wait "$pid" 2>/dev/null
else
  "$here/run-qemu.sh" "$qemu" "$image" 20 "${extra[@]}" > "$log" 2>&1
  rc=$?
fi
out="$(tr -d '\r' < "$log")"
isize=$(stat -c %s "$image")
desc=$(od -An -tu4 -j $((isize - 0x20)) -N4 "$image" | tr -d ' ')
l_size=$(printf '0x%x' "$isize")
l_desc=$(printf '0x%x' $((0x100000000 - isize + desc)))
l_bfv=$(printf '0x%x' $((0x100000000 - isize + desc - 16)))
l_bfv_size=$(printf '0x%x' $((isize - desc + 16)))
l_cfv=$(printf '0x%x' $((0x100000000 - isize)))
layout() {
  local p="$1"
  p="${p//@IMAGE_SIZE@/$l_size}"; p="${p//@DESC_GPA@/$l_desc}"; p="${p//@BFV_GPA@/$l_bfv}"
  p="${p//@BFV_SIZE@/$l_bfv_size}"; p="${p//@CFV_GPA@/$l_cfv}"
  printf '%s' "$p"
}
fail=0
if [ "$rc" != "$want" ]; then
  echo "boot-test: exit status $rc, expected $want"; fail=1
fi
for pat in "$@"; do
  pat="$(layout "$pat")"
  if [ "${pat#!}" != "$pat" ]; then
    if printf '%s\n' "$out" | grep -Eq -- "${pat#!}"; then
      echo "boot-test: a line matches what must not appear: ${pat#!}"; fail=1
    fi
  elif ! printf '%s\n' "$out" | grep -Eq -- "$pat"; then
    echo "boot-test: no line matches: $pat"; fail=1
  fi
done
exit "$fail"
