#!/usr/bin/env bash
# check-elf.sh ELF — the test payload is what libloader accepts (docs/test-payload.md):
# a static PIE (ET_DYN, x86-64) with only R_X86_64_RELATIVE relocations, no PT_INTERP, no
# DT_NEEDED/DT_RELR/DT_JMPREL, and an entry inside .text and inside an executable PT_LOAD.
set -euo pipefail
elf="$1"
READELF="${READELF:-readelf}"
fail() { echo "check-elf: $elf: $*" >&2; exit 1; }

hdr="$("$READELF" -hW "$elf")"
grep -Eq 'Type:[[:space:]]+DYN' <<<"$hdr" || fail "not ET_DYN (static-pie)"
grep -Eq 'Machine:[[:space:]]+Advanced Micro Devices X86-64' <<<"$hdr" || fail "not x86-64"
entry="$(awk '/Entry point address:/ {print $4}' <<<"$hdr")"
[ -n "$entry" ] || fail "no entry"

# Relocations: every entry line starts with an offset and names its type in column 3.
relocs="$("$READELF" -rW "$elf")"
others="$(awk '$1 ~ /^[0-9a-f]+$/ && NF >= 3 && $3 != "R_X86_64_RELATIVE" {print $3}' <<<"$relocs" | sort -u)"
[ -z "$others" ] || fail "relocation types other than R_X86_64_RELATIVE: $others"
nrel="$(awk '$1 ~ /^[0-9a-f]+$/ && $3 == "R_X86_64_RELATIVE"' <<<"$relocs" | wc -l)"

prog="$("$READELF" -lW "$elf")"
! grep -q 'INTERP' <<<"$prog" || fail "has PT_INTERP"
dyn="$("$READELF" -dW "$elf")"
! grep -Eq '\((NEEDED|RELR|JMPREL|REL)\)' <<<"$dyn" || fail "dynamic section has NEEDED/RELR/JMPREL/REL"

# Entry inside .text.
read -r taddr tsize < <("$READELF" -SW "$elf" | awk '{for (i = 1; i <= NF; i++) if ($i == ".text") {print $(i+2), $(i+4); exit}}')
[ -n "${taddr:-}" ] || fail "no .text section"
e=$((entry)); t=$((16#$taddr)); s=$((16#$tsize))
{ [ "$e" -ge "$t" ] && [ "$e" -lt $((t + s)) ]; } || fail "entry $entry outside .text [0x$taddr, +0x$tsize)"

# Entry inside the file-backed bytes of an executable PT_LOAD.
ok=0
while read -r _ vaddr filesz flags; do
  v=$((vaddr)); f=$((filesz))
  if [[ "$flags" == *E* ]] && [ "$e" -ge "$v" ] && [ "$e" -lt $((v + f)) ]; then ok=1; fi
done < <(awk '$1 == "LOAD" {fl = ""; for (i = 7; i < NF; i++) fl = fl $i; print $2, $3, $5, fl}' <<<"$prog")
[ "$ok" = 1 ] || fail "entry $entry not in an executable PT_LOAD"
echo "check-elf: $elf: ET_DYN x86-64, entry $entry in .text, $nrel R_X86_64_RELATIVE relocations, no others"
