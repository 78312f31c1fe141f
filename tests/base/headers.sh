#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# Every public header is self-contained and compiles alone as C11 and as C++11 (both -pedantic,
# warnings as errors), hosted and freestanding (C: -ffreestanding -nostdinc with only the
# compiler's headers and no define, docs/freestanding.md; C++: -DTDSHIM_FREESTANDING
# -ffreestanding), and states its thread safety.
# usage: headers.sh INCLUDE-DIR CC CXX
set -euo pipefail
inc="$1"; cc="$2"; cxx="$3"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
ccinc="$("$cc" -print-file-name=include)"
n=0; bad=0
for h in "$inc"/tdshim/*.h; do
  name="tdshim/$(basename "$h")"
  # twice (the guard works), and one declaration of our own (a macro-only header is no TU)
  printf '#include "%s"\n#include "%s"\ntypedef int tds_header_check_;\n' "$name" "$name" > "$work/t.c"
  cp "$work/t.c" "$work/t.cpp"
  for mode in hosted freestanding; do
    extra=(); cextra=()
    # Freestanding C: -ffreestanding alone (no define, no libc headers) is enough.
    [ "$mode" = freestanding ] && extra=(-DTDSHIM_FREESTANDING -ffreestanding) &&
      cextra=(-ffreestanding -nostdinc -isystem "$ccinc")
    if ! "$cc" -std=c11 -pedantic -Wall -Wextra -Werror "${cextra[@]}" -I"$inc" -fsyntax-only \
         "$work/t.c" 2> "$work/err"; then
      echo "FAIL C11 $mode: $name"; cat "$work/err"; bad=$((bad + 1))
    fi
    if ! "$cxx" -std=c++11 -pedantic -Wall -Wextra -Werror "${extra[@]}" -I"$inc" -fsyntax-only \
         "$work/t.cpp" 2> "$work/err"; then
      echo "FAIL C++11 $mode: $name"; cat "$work/err"; bad=$((bad + 1))
    fi
  done
  # Every public header states its thread safety (docs/architecture.md).
  if ! grep -q "Thread safety" "$h"; then
    echo "FAIL: $name does not state its thread safety"; bad=$((bad + 1))
  fi
  n=$((n + 1))
done
[ "$bad" -eq 0 ] || { echo "headers: $bad failure(s)"; exit 1; }
echo "headers: $n public headers compile alone as C11 and C++11, hosted and freestanding, and state their thread safety"
