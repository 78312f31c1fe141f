#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# index_types.sh <include dir> <cc> <c++>: tests/rtmr/index_types.c CASE 0 compiles; CASE 1..5
# (an RTMR register index and an MR index swapped, or a bare integer) are compile errors, as C11
# and as C++11.
set -u
inc=$1 cc=$2 cxx=$3
src=$(dirname "$0")/index_types.c
fail=0
for lang in c c++; do
  if [ "$lang" = c ]; then comp=("$cc" -std=c11 -x c); else comp=("$cxx" -std=c++11 -x c++); fi
  if ! "${comp[@]}" -fsyntax-only -Wall -Werror -I"$inc" -DCASE=0 "$src"; then
    echo "FAIL ($lang): the correct use (CASE 0) does not compile"; fail=1
  fi
  for c in 1 2 3 4 5; do
    if out=$("${comp[@]}" -fsyntax-only -I"$inc" -DCASE=$c "$src" 2>&1); then
      echo "FAIL ($lang): CASE $c compiled: an index of the wrong kind was accepted"; fail=1
    elif ! grep -qiE "incompatible|cannot convert|no (suitable|viable|matching)|could not convert" <<< "$out"; then
      echo "FAIL ($lang): CASE $c failed for another reason:"; echo "$out"; fail=1
    fi
  done
done
[ $fail -eq 0 ] && echo "index types: every swapped index is a compile error (C11, C++11)"
exit $fail
