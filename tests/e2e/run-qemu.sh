#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# Boot a TDVF image under QEMU TCG with the debug console on stdout (docs/shim.md "Test harness"):
# the tests' interface to tools/tdshim-qemu (docs/tools/tdshim-qemu.md), which does the work.
# usage: run-qemu.sh QEMU IMAGE TIMEOUT_SECONDS [extra qemu args...]
# Environment: TDSHIM_SMP (vCPUs, default 1), TDSHIM_MEM (RAM, default 256M),
#   TDSHIM_SHARED_ALIAS: 0 (default: tdshim-qemu --shared none), 1 (--shared alias) or separate,
#   TDSHIM_HOB=FILE: load FILE at the TD_HOB section (0x800000), as the VMM does; without it no
#   HOB is loaded here (a test that wants one passes its own -device loader).
# Exit status: QEMU's (isa-debug-exit: 33 = shim ok, 35 = shim fatal), 124 on timeout.
set -u
qemu="$1"; image="$2"; limit="$3"; shift 3
here="$(cd "$(dirname "$0")" && pwd)"
case "${TDSHIM_SHARED_ALIAS:-0}" in
  0) shared=none ;;
  1) shared=alias ;;
  separate) shared=separate ;;
  *) echo "run-qemu.sh: TDSHIM_SHARED_ALIAS must be 0, 1 or separate" >&2; exit 2 ;;
esac
exec bash "$here/../../tools/tdshim-qemu/tdshim-qemu.in" --qemu "$qemu" --timeout "$limit" \
  --smp "${TDSHIM_SMP:-1}" --mem "${TDSHIM_MEM:-256M}" --hob "${TDSHIM_HOB:-none}" \
  --shared "$shared" "$image" -- "$@"
