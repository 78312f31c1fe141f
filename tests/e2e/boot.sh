#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# Build (if needed) and boot the shim's test image under QEMU TCG, then print a short report.
# usage: tests/e2e/boot.sh [PRESET]   (default: release; any hosted preset works)
# Environment: TDSHIM_SMP (default 4), TDSHIM_MEM (default 256M).
# Exit status 0 when the shim reached "boot ok" and left QEMU through isa-debug-exit with 33.
set -uo pipefail
cd "$(dirname "$0")/../.."
preset="${1:-release}"
export TDSHIM_SMP="${TDSHIM_SMP:-4}"
build="build/$preset"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake --preset "$preset" >/dev/null || exit 1
fi
cmake --build --preset "$preset" --target tdshim_image -j 2 >/dev/null || exit 1
image="$build/tdshim.img"
echo "== image layout ($image)"
cat "$build/tdshim.img.layout"
if [ -x "$build/tools/tdshim-measure/tdshim-measure" ]; then
  echo "reference MRTD: $("$build/tools/tdshim-measure/tdshim-measure" mrtd "$image")"
fi
echo "== boot: qemu-system-x86_64 -accel tcg -machine q35 -cpu max,phys-bits=48 -m ${TDSHIM_MEM:-256M} -smp $TDSHIM_SMP -bios $image"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
start=$(date +%s.%N)
tests/e2e/run-qemu.sh qemu-system-x86_64 "$image" 20 > "$log" 2>&1
rc=$?
end=$(date +%s.%N)
tr -d '\r' < "$log" | sed 's/^/  | /'
printf '== report: qemu exit status %s (33 = shim ok, 35 = shim fatal, 124 = timeout), %.2f s\n' \
  "$rc" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"
if [ "$rc" = 33 ] && grep -q '^tdshim: boot ok' "$log"; then
  echo "== shim reached long mode with its own page tables, read and checked its own TDVF metadata,"
  echo "   started $((TDSHIM_SMP - 1)) APs through the TD entry path, and exited cleanly"
  exit 0
fi
echo "== boot FAILED"
exit 1
