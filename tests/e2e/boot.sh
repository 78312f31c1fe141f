#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# The main job's boot (README): build the production image (tdshim.fw + the test payload) and
# report its layout, reference MRTD and size; then build the same with the test firmware
# (tdshim-test.fw: the production objects plus the emulated TDX module and the harness's TD
# start, since this machine has no TDX), play the VMM (a TD HOB from tdshim-hob), boot it under
# QEMU TCG through the TD entry and print a boot report: image layout, reference MRTD, memory
# map, bytes accepted and by how many vCPUs, the event log with digests, and RTMR0..3 from the
# TDREPORT verified against the replay of the log (librtmr in the payload, tpm2_eventlog,
# tdshim-eventlog) and against tdshim-measure's reference.
# usage: tests/e2e/boot.sh [PRESET]   (default: release; any hosted preset works)
# Environment: TDSHIM_SMP (default 4), TDSHIM_MEM (default 2G).
# Exit status 0 when the payload passed every check and every comparison held.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
preset="${1:-release}"
smp="${TDSHIM_SMP:-4}"
mem="${TDSHIM_MEM:-2G}"
build="build/$preset"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake --preset "$preset" >/dev/null || exit 1
fi
cmake --build --preset "$preset" --target tdshim_image tdshim-hob tdshim-measure tdshim-eventlog \
  -j 2 >/dev/null || exit 1
tools="$build/tools"
prod_fw="$build/firmware/shim/tdshim.fw"
fw="$build/firmware/shim/tdshim-test.fw"
elf="$build/firmware/tests/payload/tdshim_test_payload.elf"
# The harness's standard VMM layout (TempMem added, the emulator's part reserved).
mapfile -t vmm_hob < "tests/e2e/test-vmm-hob.args"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail=0
sect() { printf '\n== %s\n' "$*"; }
indent() { sed 's/^/  | /'; }

sect "production image: tdshim-image --firmware tdshim.fw --payload tdshim_test_payload.elf"
"$tools/tdshim-image/tdshim-image" --firmware "$prod_fw" --payload "$elf" -o "$work/prod.img" |
  indent || exit 1
echo "  reference MRTD (tdshim-measure mrtd): $("$tools/tdshim-measure/tdshim-measure" mrtd "$work/prod.img")"
python3 scripts/link-size.py "$build/firmware/shim/tdshim_fw.map" | awk '$5 == "TOTAL" {
  printf "  firmware code+data: %d bytes (text %d, rodata %d, data %d; bss %d)\n", $1 + $2 + $3, $1, $2, $3, $4 }'

sect "test image (booted here): tdshim-image --firmware tdshim-test.fw --payload tdshim_test_payload.elf"
"$tools/tdshim-image/tdshim-image" --firmware "$fw" --payload "$elf" -o "$work/tdshim.img" | indent ||
  exit 1
echo "  reference MRTD (tdshim-measure mrtd): $("$tools/tdshim-measure/tdshim-measure" mrtd "$work/tdshim.img")"

sect "TD HOB (the VMM's part): tdshim-hob gen --mem $mem ${vmm_hob[*]}"
"$tools/tdshim-hob/tdshim-hob" gen --mem "$mem" "${vmm_hob[@]}" \
  -o "$work/hob.bin" || exit 1
"$tools/tdshim-hob/tdshim-hob" dump "$work/hob.bin" --gpa 0x800000 | indent

sect "boot: qemu-system-x86_64 -accel tcg -machine q35 -cpu max,phys-bits=48 -m $mem -smp $smp -bios tdshim.img -device loader,file=hob.bin,addr=0x800000 (+ the BFV overlay, tests/e2e/run-qemu.sh)"
start=$(date +%s.%N)
TDSHIM_SMP="$smp" TDSHIM_MEM="$mem" tests/e2e/run-qemu.sh qemu-system-x86_64 "$work/tdshim.img" 60 \
  -device "loader,file=$work/hob.bin,addr=0x800000,force-raw=on" > "$work/raw" 2>&1
rc=$?
end=$(date +%s.%N)
tr -d '\r' < "$work/raw" > "$work/console"
# The console without the payload's hex dump of the log (rebuilt and decoded below).
grep -v '^tdpayload: log 0x' "$work/console" | indent
printf '  qemu exit status %s (65 = payload pass, 67 = payload fail, 35 = shim fatal, 124 = timeout), %.2f s\n' \
  "$rc" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"
[ "$rc" = 65 ] || fail=1

sect "report"
echo "  memory map handed to the payload (E820, from the shim):"
sed -n 's/^tdshim: handoff: e820 \(0x.*\)/    \1/p' "$work/console"
sed -n 's/^tdshim: handoff: e820 \(entries=.*\)/    \1/p' "$work/console"
echo "  acceptance:"
sed -n 's/^tdshim: accept: \(bytes=.*\)/    \1/p; s/^tdshim: accept: \(per-vcpu sum=.*\)/    \1/p; s/^tdshim: accept: \(emulator .*\)/    \1/p' "$work/console"
echo "  APs: $(sed -n 's/^tdshim: \(mailbox: parked=.*\)/\1/p' "$work/console"); $(sed -n 's/^tdpayload: \(aps bsp_apic=.*\)/\1/p' "$work/console")"
echo "  payload checks: $(grep -c '^tdpayload: check .* ok' "$work/console") ok, $(grep -c '^tdpayload: check .* FAIL' "$work/console") failed; $(sed -n 's/^tdpayload: \(result .*\)/\1/p' "$work/console")"
grep -q '^tdpayload: result pass' "$work/console" || fail=1

sect "event log (rebuilt from the payload's dump) and RTMRs"
if bash tests/payload/check-boot.sh "$work/console" --image "$work/tdshim.img" --hob "$work/hob.bin" \
     --measure "$tools/tdshim-measure/tdshim-measure" --keep "$work/keep" 2>&1 | indent; then
  "$tools/tdshim-eventlog/tdshim-eventlog" dump "$work/keep/ccel.bin" | indent
  args=()
  for i in 0 1 2 3; do
    args+=("--rtmr$i" "$(sed -nE "s/^tdpayload: rtmr$i ([0-9a-f]{96}) .*/\1/p" "$work/console")")
  done
  echo "  tdshim-eventlog verify (log replay vs the TDREPORT's RTMR0..3):"
  "$tools/tdshim-eventlog/tdshim-eventlog" verify "${args[@]}" "$work/keep/ccel.bin" | indent ||
    fail=1
else
  fail=1
fi

if [ "$fail" = 0 ]; then
  sect "boot ok: the shim measured the TD HOB and the payload, accepted all memory on $smp vCPUs,"
  echo "   handed off (E820, MADT with MP wakeup, CCEL, payload HOB); the payload verified all of it,"
  echo "   woke every AP through the ACPI mailbox, and RTMR0..3 equal the replayed log and the reference."
  exit 0
fi
sect "boot FAILED"
exit 1
