#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# Reproducible firmware (README "Rebuild and check the MRTD"): the firmware must be a function of
# the commit and the pinned toolchain and sources only, never of the build directory, the preset,
# the hosted compiler flags or the environment.
#
# usage: scripts/repro-check.sh [--readme] BUILD_DIR...
#          compare the firmware blobs (tdshim.fw, tdshim-test.fw) the given build directories made
#          (a hosted preset's firmware/shim/ or a freestanding build's shim/), byte for byte, and
#          print the production image's MRTD; --readme: also require it to be the README's
#          reference MRTD. CI runs this over the builds it made anyway (scripts/test.sh).
#        scripts/repro-check.sh --full
#          build the firmware twice from copies of the working tree at two different paths, with
#          different configurations (a plain `cmake -B` Debug configure with CFLAGS/LDFLAGS in the
#          environment, and the release preset), compare, and print the MRTD: what a verifier runs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
fail() { echo "repro-check: FAIL: $*" >&2; exit 1; }

fw_dir() { # the directory holding a build's firmware blobs
  if [ -f "$1/firmware/shim/tdshim.fw" ]; then echo "$1/firmware/shim"
  elif [ -f "$1/shim/tdshim.fw" ]; then echo "$1/shim"
  else return 1; fi
}
readme_mrtd() {
  # shellcheck disable=SC2016 # the backquotes are the README's Markdown, not a command
  grep -o 'reference MRTD of the release build'"'"'s `tdshim.img` (no payload) `[0-9a-f]\{96\}`' \
    "$root/README.md" | grep -o '[0-9a-f]\{96\}'
}
mrtd_of() { # image, measure tool
  "$2" mrtd "$1" | grep -o '[0-9a-f]\{96\}' | head -n1
}

compare() {
  local readme=0 ref="" d f n=0 measure="" img="" blob
  if [ "${1:-}" = --readme ]; then readme=1; shift; fi
  for d in "$@"; do
    f="$(fw_dir "$d")" || { echo "repro-check: $d: no firmware built there, skipped"; continue; }
    if [ -z "$ref" ]; then
      ref="$f"
    else
      for blob in tdshim.fw tdshim-test.fw; do
        cmp "$ref/$blob" "$f/$blob" || fail "$f/$blob differs from $ref/$blob"
      done
    fi
    n=$((n + 1))
    if [ -z "$measure" ] && [ -x "$d/tools/tdshim-measure/tdshim-measure" ] && [ -f "$d/tdshim.img" ]; then
      measure="$d/tools/tdshim-measure/tdshim-measure"; img="$d/tdshim.img"
    fi
  done
  [ "$n" -ge 2 ] || fail "fewer than two builds with firmware to compare"
  echo "repro-check: $n builds, identical tdshim.fw ($(stat -c %s "$ref/tdshim.fw") bytes, sha256 $(sha256sum "$ref/tdshim.fw" | cut -c1-16)...) and tdshim-test.fw"
  [ -n "$measure" ] || { [ "$readme" = 0 ] || fail "no hosted build with tdshim-measure"; return 0; }
  local m; m="$(mrtd_of "$img" "$measure")"
  echo "repro-check: MRTD of tdshim.img: $m"
  if [ "$readme" = 1 ]; then
    [ "$m" = "$(readme_mrtd)" ] ||
      fail "the README's reference MRTD is $(readme_mrtd): update README.md and docs/shim.md"
    echo "repro-check: it is the README's reference MRTD"
  fi
}

full() {
  local w a b
  w="$(mktemp -d)"
  # shellcheck disable=SC2064 # expanded now: w is local, gone when the EXIT trap runs
  trap "rm -rf '$w'" EXIT
  for a in one two/deeper; do
    mkdir -p "$w/$a/src"
    (cd "$root" && git ls-files -z --cached --others --exclude-standard |
       xargs -0 cp --parents -t "$w/$a/src")
  done
  a="$w/one/src"; b="$w/two/deeper/src"
  echo "repro-check: build 1: cmake -B (Debug, CFLAGS/LDFLAGS set) in $a"
  (cd "$a" && CFLAGS="-O0 -falign-functions=64" LDFLAGS="-Wl,-O0" \
     cmake -S . -B build -DCMAKE_BUILD_TYPE=Debug -DTDSHIM_BUILD_TESTS=OFF >/dev/null &&
     cmake --build build --target tdshim_image tdshim-measure -j "$(nproc)" >/dev/null)
  echo "repro-check: build 2: cmake --preset release in $b"
  (cd "$b" && cmake --preset release -DTDSHIM_BUILD_TESTS=OFF >/dev/null &&
     cmake --build --preset release --target tdshim_image tdshim-measure -j "$(nproc)" >/dev/null)
  compare --readme "$a/build" "$b/build/release"
  cmp "$a/build/tdshim.img" "$b/build/release/tdshim.img" || fail "tdshim.img differs"
}

case "${1:-}" in
  --full) full ;;
  "") echo "usage: $0 [--readme] BUILD_DIR... | --full" >&2; exit 2 ;;
  *) compare "$@" ;;
esac
