#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# Make one corrupted TDVF image from the default test image (0x210000 bytes; descriptor at file
# offset 0x10010, sections from 0x10020, 32 bytes each). usage: hostile-image.sh IMAGE CASE OUT
# Case "truncated": the first 64 KiB (the CFV) cut off; the BFV with both metadata locators stays,
# so the firmware derives the whole image's size and finds no firmware volume at the CFV's GPA.
set -euo pipefail
img="$1"; case_="$2"; out="$3"
cp "$img" "$out"
size=$(stat -c %s "$out")
patch() { # offset, hex bytes
  printf "$(printf '%s' "$2" | sed 's/\(..\)/\\x\1/g')" |
    dd of="$out" bs=1 seek=$(( $1 )) conv=notrunc status=none
}
case "$case_" in
  footer-guid)  patch $(( size - 0x30 )) 00 ;;        # OVMF footer GUID broken
  table-len)    patch $(( size - 0x32 )) 1100 ;;      # footer table length below one header
  offset-entry) patch $(( size - 0x48 )) ffffffff ;;  # metadata offset beyond the image
  tdshim-ptr)   patch $(( size - 0x20 )) 00000000 ;;  # td-shim pointer disagrees
  meta-guid)    patch 0x10000 00 ;;                   # GUID before the descriptor
  desc-sig)     patch 0x10010 58 ;;                   # 'XDVF'
  desc-count)   patch 0x1001C 00000000 ;;             # zero sections
  desc-len)     patch 0x10014 91 ;;                   # Length != 16 + 32 * n
  bfv-attr)     patch 0x1003C 00000000 ;;             # BFV without MR.EXTEND
  no-td-hob)    patch 0x10078 03000000 ;;             # TD_HOB section turned into TempMem
  overlap)      patch 0x10088 0080800000000000 ;;     # TempMem moved onto the TD_HOB
  truncated)    tail -c +$(( 0x10000 + 1 )) "$img" > "$out" ;; # the CFV cut off the front
  *) echo "hostile-image.sh: unknown case $case_" >&2; exit 2 ;;
esac
