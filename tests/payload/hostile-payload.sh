#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# hostile-payload.sh QEMU FW_BLOB PAYLOAD_ELF BIN_DIR CASE
#
# One hostile or broken payload through the same harness as boot-payload.sh (tdshim-image
# --payload, a tdshim-hob TD HOB at 0x800000, one QEMU TCG boot): the shim must end in its fatal
# path (QEMU exit status 35) with the line that names the failure, within the timeout.
#   garbage     the payload section holds no ELF / PE magic          -> loader: unknown-format
#   cut         the first 8 KiB of the test payload's ELF (segments   -> loader: seg-file-bounds
#               run past the section)
#   machine     the test payload with e_machine = EM_386              -> loader: machine
#   entry       the test payload with e_entry = 0 (a non-X segment)   -> loader: entry
#   returns     a minimal ELF whose entry is `ret`                    -> 0x7F00 payload returned
#   faults      a minimal ELF whose entry is `ud2`                    -> the shim's IDT reports #UD
#   wx          a minimal ELF with one writable and executable segment -> 0x7010 (W^X)
#   not-ram     the accept limit 8 MiB leaves 0x1000000 unaccepted    -> 0x7004 region not RAM
#   vmm-unaccepted  a VMM-placed payload (--payload-region 0x4000000) whose region the TD HOB
#               reports as unaccepted, not as added by the VMM        -> 0x700E
set -u
qemu="$1"; fw="$2"; elf="$3"; bin="$4"; case_="$5"
here="$(cd "$(dirname "$0")" && pwd)"
tool() { find "$bin" -type f -name "$1" -perm -u+x | head -1; }
img_tool="$(tool tdshim-image)"; hob_tool="$(tool tdshim-hob)"
if [ -z "$img_tool" ] || [ -z "$hob_tool" ]; then echo "hostile-payload: tools missing under $bin"; exit 2; fi
# The harness's standard VMM layout (TempMem added, the emulator's part reserved).
mapfile -t vmm_hob < "$here/../e2e/test-vmm-hob.args"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
p="$work/payload"

patch() { # file, offset, hex bytes
  printf '%s' "$3" | xxd -r -p | dd of="$1" bs=1 seek=$(( $2 )) conv=notrunc status=none
}
# A minimal ELF64 ET_EXEC linked at 0x1000000: header, one R+X PT_LOAD of the whole file, then
# the code at file offset 0x78 (= the entry).
tiny_elf() { # hex code [p_flags as 8 hex digits, little-endian; default 05000000 = R|X]
  local code="$1" flags="${2:-05000000}" n
  n=$(( 0x78 + ${#code} / 2 ))
  {
    printf '7f454c46020101000000000000000000'         # e_ident: ELF64, LSB, version 1
    printf '02003e0001000000'                         # ET_EXEC, EM_X86_64, EV_CURRENT
    printf '7800000100000000'                         # e_entry 0x1000078
    printf '4000000000000000' ; printf '0000000000000000' # e_phoff 64, e_shoff 0
    printf '00000000400038000100000000000000'         # flags, ehsize 64, phentsize 56, phnum 1
    printf '01000000%s' "$flags"                       # PT_LOAD, p_flags (PF_R | PF_X)
    printf '0000000000000000'                         # p_offset 0
    printf '0000000100000000'; printf '0000000100000000' # p_vaddr, p_paddr 0x1000000
    printf '%016x' "$n" | sed 's/\(..\)/\1 /g' | awk '{for (i = NF; i > 0; i--) printf "%s", $i}'
    printf '%016x' "$n" | sed 's/\(..\)/\1 /g' | awk '{for (i = NF; i > 0; i--) printf "%s", $i}'
    printf '0010000000000000'                         # p_align 4 KiB
    printf '%s' "$code"
  } | xxd -r -p > "$p"
}

limit=""; place=(--payload "$p"); vmm_dev=()
case "$case_" in
  garbage)   head -c 65536 /dev/zero | tr '\0' 'A' > "$p"
             want='^tdshim: handoff: payload rejected: unknown-format' ;;
  cut)       head -c 8192 "$elf" > "$p"
             want='^tdshim: handoff: payload rejected: seg-file-bounds' ;;
  machine)   cp "$elf" "$p"; patch "$p" 18 0300
             want='^tdshim: handoff: payload rejected: machine' ;;
  entry)     cp "$elf" "$p"; patch "$p" 24 0000000000000000
             want='^tdshim: handoff: payload rejected: entry' ;;
  returns)   tiny_elf c3
             want='^tdshim: FATAL: code=0x7f00 payload returned$' ;;
  faults)    tiny_elf 0f0b
             want='^tdshim: FATAL: exception #UD vector=6 rip=0x0000000001000078 ' ;;
  wx)        tiny_elf c3 07000000                    # PF_R | PF_W | PF_X: refused (W^X)
             want='^tdshim: FATAL: code=0x7010 payload: segment permissions refused \(W\^X, one set per page\)$' ;;
  not-ram)   cp "$elf" "$p"; limit=8M
             want='^tdshim: FATAL: code=0x7004 payload region: 0x1000000 is not accepted RAM$' ;;
  vmm-unaccepted)
             cp "$elf" "$p"
             # shellcheck disable=SC2054 # the comma belongs to the option value
             place=(--payload-region 0x4000000,0x200000)
             vmm_dev=(-device "loader,file=$p,addr=0x4000000,force-raw=on")
             want='^tdshim: FATAL: code=0x700e payload region \(VMM-placed\) is not accepted private RAM$' ;;
  *) echo "hostile-payload: unknown case $case_" >&2; exit 2 ;;
esac
"$img_tool" --firmware "$fw" "${place[@]}" -o "$work/tdshim.img" > "$work/layout" \
  || { cat "$work/layout"; echo "hostile-payload: tdshim-image ${place[0]} failed"; exit 1; }
"$hob_tool" gen --mem 256M "${vmm_hob[@]}" -o "$work/hob.bin" \
  || { echo "hostile-payload: tdshim-hob gen failed"; exit 1; }
extra=(-device "loader,file=$work/hob.bin,addr=0x800000,force-raw=on" "${vmm_dev[@]}")
[ -n "$limit" ] && extra+=(-fw_cfg "name=opt/tdshim/accept-limit,string=$limit")
"$here/../e2e/run-qemu.sh" "$qemu" "$work/tdshim.img" 20 "${extra[@]}" > "$work/console" 2>&1
rc=$?
tr -d '\r' < "$work/console" | grep -v '^tdshim: \(section\|mem\|accept: vcpu\|paging\)'
fail=0
[ "$rc" = 35 ] || { echo "hostile-payload: QEMU exit status $rc, expected 35 (fatal path)"; fail=1; }
grep -Eq -- "$want" <(tr -d '\r' < "$work/console") || { echo "hostile-payload: no line matches: $want"; fail=1; }
if grep -q '^tdpayload: ' <(tr -d '\r' < "$work/console"); then
  echo "hostile-payload: the payload ran"; fail=1
fi
[ "$fail" = 0 ] && echo "hostile-payload: ok ($case_)"
exit "$fail"
