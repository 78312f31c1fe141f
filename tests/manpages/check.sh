#!/usr/bin/env bash
# Usage: check.sh PAGE.1.gz...
# Renders each generated manual page with man-db as a UTF-8 terminal would (the way lintian checks
# manual pages: man --warnings -E UTF-8) and fails on any groff warning or a page without its
# NAME, SYNOPSIS and DESCRIPTION sections.
set -euo pipefail
fail=0
for page in "$@"; do
  name="$(basename "$page" .1.gz)"
  err="$(mktemp)"
  out="$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>"$err")" || true
  if [ -s "$err" ]; then
    echo "manpages: $name: groff warnings:"; cat "$err"; fail=1
  fi
  for s in NAME SYNOPSIS DESCRIPTION "SEE ALSO"; do
    grep -q "^$s\$" <<<"$out" || { echo "manpages: $name: no $s section"; fail=1; }
  done
  grep -q "^       $name - " <<<"$out" || { echo "manpages: $name: no 'NAME - summary' line"; fail=1; }
  rm -f "$err"
  [ "$fail" -ne 0 ] || echo "manpages: $name ok ($(wc -l <<<"$out") lines)"
done
exit "$fail"
