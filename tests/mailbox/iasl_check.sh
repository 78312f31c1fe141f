#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause-Patent
# Disassemble our MADTs with iasl -d (acpica-tools) and require: the table is recognised and
# decoded, no checksum or length complaint, no error or warning; the only thing iasl may not
# know is the MP Wakeup sub-table (type 0x10: this iasl predates it). The negative control
# (bad_checksum.dat) MUST be flagged, so this check is known to be able to fail.
# usage: iasl_check.sh <iasl> <madt_dump> <workdir>
set -u
iasl="$1"; dump="$2"; dir="$3"
rm -rf "$dir" && mkdir -p "$dir" || exit 1
"$dump" "$dir" || { echo "madt_dump failed"; exit 1; }

check() { # file -> 0 if iasl is happy
  out="$dir/$1.log"
  (cd "$dir" && "$iasl" -d "$1") > "$out" 2>&1 || { echo "$1: iasl exit status $?"; return 1; }
  dsl="$dir/${1%.dat}.dsl"
  grep -q 'Acpi Data Table \[APIC\] decoded' "$out" || { echo "$1: not decoded"; return 1; }
  if grep -Eiq 'should be|Incorrect|Invalid|error|warning' "$out" "$dsl"; then
    echo "$1: iasl complained:"; grep -Ei 'should be|Incorrect|Invalid|error|warning' "$out" "$dsl"
    return 1
  fi
  unknown=$(grep -c 'Unknown' "$dsl")
  unknown10=$(grep -c 'Unknown MADT subtable type 0x10\|Subtable Type : 10 \[Unknown' "$dsl")
  [ "$unknown" -eq "$unknown10" ] || { echo "$1: unknown content besides type 0x10"; return 1; }
  return 0
}

fail=0
for f in madt_4cpu_v0.dat madt_300cpu_v1.dat madt_appended_v1.dat; do
  if check "$f"; then echo "ok: $f"; else fail=1; fi
done
# Every CPU entry decoded: 4 local APIC entries; 255 + 45 for 300 CPUs; 4 x2APIC when appended.
n=$(grep -c 'Subtable Type : 00 \[Processor Local APIC\]' "$dir/madt_4cpu_v0.dsl")
[ "$n" -eq 4 ] || { echo "4cpu: $n local APIC entries"; fail=1; }
n0=$(grep -c 'Subtable Type : 00 \[Processor Local APIC\]' "$dir/madt_300cpu_v1.dsl")
n9=$(grep -c 'Subtable Type : 09 \[Processor Local x2APIC\]' "$dir/madt_300cpu_v1.dsl")
if [ "$n0" -ne 255 ] || [ "$n9" -ne 45 ]; then echo "300cpu: $n0 + $n9 entries"; fail=1; fi
n9=$(grep -c 'Subtable Type : 09 \[Processor Local x2APIC\]' "$dir/madt_appended_v1.dsl")
[ "$n9" -eq 4 ] || { echo "appended: $n9 x2APIC entries"; fail=1; }
if check bad_checksum.dat >/dev/null; then
  echo "negative control: a bad checksum was not detected"; fail=1
else
  echo "ok: bad checksum detected"
fi
exit $fail
