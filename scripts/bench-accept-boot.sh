#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# Benchmark: time for the shim to accept 4 GiB in the emulated TD with -smp 1 and -smp 2, measured
# side by side in one run (interleaved rounds), printed as the ratio smp1 / smp2.
# usage: scripts/bench-accept-boot.sh [PRESET [ROUNDS]]   (default: release, 3)
# Environment: BENCH_MEM (default 4G: 4 GiB minus the 7 MiB the VMM added is accepted).
# What is timed: the shim's own "accept: ... tsc=N" (TSC ticks around libaccept's run, from the
# first ACCEPT to the last vCPU's return), in two modes: the emulator's ACCEPT only marks pages
# (the cost of the calls: TDCALL trap, emulator, mailbox), and ACCEPT zeroes each page as the TDX
# module does (fw_cfg opt/tdshim/accept-zero=1: memory bandwidth). Under TCG every vCPU is a host
# thread, so the ratio is bounded by the host cores (2 here) and by what else runs on them.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
rounds="${2:-3}"
mem="${BENCH_MEM:-4G}"
build="build/$preset"
[ -f "$build/CMakeCache.txt" ] || cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target tdshim_image tdshim-hob -j 2 >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$build/tools/tdshim-hob/tdshim-hob" gen --mem "$mem" --base 0x800000 --accepted 0x100000:0x700000 \
  -o "$work/hob.bin"

boot() { # smp, zero -> prints "tsc bytes helpers wall"
  local extra=(-device "loader,file=$work/hob.bin,addr=0x800000,force-raw=on")
  # shellcheck disable=SC2054 # the comma belongs to QEMU's option value
  [ "$2" = 1 ] && extra+=(-fw_cfg name=opt/tdshim/accept-zero,string=1)
  local t0 t1 line
  t0=$(date +%s.%N)
  TDSHIM_SMP="$1" TDSHIM_MEM="$mem" tests/e2e/run-qemu.sh qemu-system-x86_64 "$build/tdshim.img" 300 \
    "${extra[@]}" > "$work/console" 2>&1 || true
  t1=$(date +%s.%N)
  line="$(tr -d '\r' < "$work/console" | grep '^tdshim: accept: bytes=' || true)"
  grep -q '^tdshim: boot ok' "$work/console" || { echo "bench: boot failed (smp $1)" >&2; cat "$work/console" >&2; exit 1; }
  printf '%s %s %s %s\n' "$(sed -E 's/.*tsc=([0-9]+).*/\1/' <<<"$line")" \
    "$(sed -E 's/.*bytes=(0x[0-9a-f]+) .*/\1/' <<<"$line")" \
    "$(sed -E 's/.*vcpus=([0-9]+)\/.*/\1/' <<<"$line")" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "bench-accept-boot: -m $mem, $rounds interleaved rounds per mode, QEMU TCG, $(nproc) host cores, load $(cut -d' ' -f1 /proc/loadavg)"
for zero in 0 1; do
  mode=$([ "$zero" = 1 ] && echo "accept zeroes pages" || echo "accept marks pages")
  : > "$work/r1"; : > "$work/r2"; : > "$work/ratio"
  for r in $(seq "$rounds"); do
    read -r t1 b1 h1 w1 < <(boot 1 "$zero")
    read -r t2 b2 h2 w2 < <(boot 2 "$zero")
    [ "$b1" = "$b2" ] || { echo "bench: smp1 accepted $b1, smp2 $b2" >&2; exit 1; }
    echo "$t1" >> "$work/r1"; echo "$t2" >> "$work/r2"
    awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.3f\n", a / b }' >> "$work/ratio"
    printf '  %-20s round %d: bytes=%s smp1 tsc=%s (wall %.2f s, %s vCPU) smp2 tsc=%s (wall %.2f s, %s vCPUs) ratio %.2f\n' \
      "$mode" "$r" "$b1" "$t1" "$w1" "$h1" "$t2" "$w2" "$h2" "$(tail -1 "$work/ratio")"
  done
  printf 'accept %s (%s): smp1 / smp2 = %.2f (median of %d rounds; min %.2f, max %.2f)\n' "$mem" "$mode" \
    "$(median < "$work/ratio")" "$rounds" "$(sort -g "$work/ratio" | head -1)" "$(sort -g "$work/ratio" | tail -1)"
done
