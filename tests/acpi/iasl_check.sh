#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause-Patent
# ctest acpi_iasl: QEMU 7.2's q35 tables after the TD edit (the new RSDT, the MADT with the MP
# wakeup structure, the CCEL) and after a rebuild (the new XSDT), as test_acpi_qemu writes them,
# disassembled by iasl -d (acpica-tools). Required: every table decoded, no checksum, length,
# error or warning complaint; the only things this iasl does not know are the MADT's type 0x10
# and the CCEL signature (it predates both). A copy of the RSDT with one byte changed MUST be
# flagged (negative control).
# usage: iasl_check.sh <iasl> <test_acpi_qemu> <workdir>
set -u
iasl="$1"; test="$2"; dir="$3"
rm -rf "$dir" && mkdir -p "$dir" || exit 1
ACPI_DUMP_DIR="$dir" "$test" > "$dir/test.log" 2>&1 || { cat "$dir/test.log"; exit 1; }

complaints='should be|Incorrect|Invalid|error|warning'
check() { # file -> 0 if iasl decoded it without a complaint
  f="$1"; out="$dir/$f.log"; dsl="$dir/${f%.dat}.dsl"
  (cd "$dir" && "$iasl" -d "$f") > "$out" 2>&1 || { echo "$f: iasl exit status $?"; return 1; }
  grep -Eq 'Acpi Data Table \[[A-Z]{4}\] decoded|Disassembly completed' "$out" ||
    { echo "$f: not decoded"; return 1; }
  if grep -Eiq "$complaints" "$out" "$dsl"; then
    echo "$f: iasl complained:"; grep -Ei "$complaints" "$out" "$dsl"; return 1
  fi
  unknown=$(grep -c 'Unknown' "$dsl")
  known=$(grep -c 'Unknown MADT subtable type 0x10\|Subtable Type : 10 \[Unknown\|Unknown ACPI table signature \[CCEL\]' "$dsl")
  [ "$unknown" -eq "$known" ] || { echo "$f: unknown content"; grep Unknown "$dsl"; return 1; }
  return 0
}

fail=0
n=0
for path in "$dir"/*.dat; do
  f=$(basename "$path")
  n=$((n + 1))
  if check "$f"; then echo "ok: $f"; else fail=1; fi
done
for f in rsdt xsdt apic ccel facp dsdt facs mcfg; do
  [ -f "$dir/$f.dat" ] || { echo "missing: $f.dat"; fail=1; }
done
grep -q 'Subtable Type : 10' "$dir/apic.dsl" || { echo "apic: no type 0x10 entry"; fail=1; }
grep -q 'ACPI Table Address   5 : 7F000800' "$dir/rsdt.dsl" || { echo "rsdt: no CCEL entry"; fail=1; }
grep -q 'ACPI Table Address   5 : 000000007F000800' "$dir/xsdt.dsl" || { echo "xsdt: no CCEL"; fail=1; }
cp "$dir/rsdt.dat" "$dir/bad.dat"
printf '\377' | dd of="$dir/bad.dat" bs=1 seek=40 conv=notrunc 2>/dev/null
if check bad.dat > /dev/null; then
  echo "negative control: a changed RSDT was not flagged"; fail=1
else
  echo "ok: a changed RSDT is flagged"
fi
echo "$n tables checked"
exit $fail
