#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# Make one corrupted TD HOB from a good one (the layout `tdshim-hob gen --mem 256M --base 0x800000`
# writes: PHIT @0x00, resources @0x38 [0,8M) type 7, @0x68 [8M,8M+128K) type 0, @0x98 type 7,
# END @0xC8). usage: hostile-hob.sh GOOD.bin CASE OUT.bin
set -euo pipefail
good="$1"; case_="$2"; out="$3"
cp "$good" "$out"
patch() { # offset, hex bytes
  printf "$(printf '%s' "$2" | sed 's/\(..\)/\\x\1/g')" |
    dd of="$out" bs=1 seek=$(( $1 )) conv=notrunc status=none
}
case "$case_" in
  phit-version)    patch 0x08 08 ;;                 # PHIT version 8
  first-not-phit)  patch 0x00 0300 ;;               # first HOB typed as a resource
  len-zero)        patch 0x3A 0000 ;;               # resource HobLength 0
  len-unaligned)   patch 0x3A 3100 ;;               # resource HobLength 49
  hdr-reserved)    patch 0x3C 01 ;;                 # header Reserved != 0
  end-mismatch)    patch 0x30 f000800000000000 ;;   # EfiEndOfHobList points elsewhere
  res-type)        patch 0x50 09 ;;                 # resource type 9
  res-attr)        patch 0x54 ffffffff ;;           # unknown attribute bits
  unaligned)       patch 0x58 1000000000000000 ;;   # resource start 0x10
  wrap)            patch 0xC0 ffffffffffffffff ;;   # resource length wraps
  beyond-gpaw)     patch 0xB8 0000000000800000 ;;   # resource above the shared bit
  overlap)         patch 0x88 00f07f0000000000 ;;   # [0x7ff000, ...) overlaps [0, 8M)
  *) echo "hostile-hob.sh: unknown case $case_" >&2; exit 2 ;;
esac
