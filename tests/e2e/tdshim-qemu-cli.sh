#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# tdshim-qemu's command line (docs/tools/tdshim-qemu.md): help and version, one line and exit 2 for
# every bad argument, 125 when it cannot run, 124 on timeout, and one real boot of the test image
# (no payload: exit 33, "boot ok") whose generated HOB (--hob-out) is byte for byte what
# tdshim-hob gen makes from the layout file.
# usage: tdshim-qemu-cli.sh TDSHIM_QEMU_SCRIPT TDSHIM_HOB QEMU TEST_IMAGE LAYOUT_ARGS VERSION
set -u
tool="$1"; hob_tool="$2"; qemu="$3"; image="$4"; layout="$5"; version="$6"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail=0
# expect <status> <stderr/stdout regex> -- args...: run the tool, require the status and a line
expect() {
  local want="$1" re="$2"; shift 3
  local got=0
  PATH="$(dirname "$hob_tool"):$PATH" "$tool" "$@" > "$work/out" 2>&1 || got=$?
  # The tool's own errors are one line.
  local lines_ok=1
  if [ "$want" = 2 ] || [ "$want" = 125 ]; then
    [ "$(wc -l < "$work/out")" = 1 ] || lines_ok=0
  fi
  if [ "$got" != "$want" ] || [ "$lines_ok" = 0 ] ||
     { [ -n "$re" ] && ! grep -qE -- "$re" "$work/out"; }; then
    echo "FAIL: tdshim-qemu $* -> $got (want $want, /$re/):"; sed 's/^/  | /' "$work/out"; fail=1
  else
    echo "ok: tdshim-qemu $* -> $got"
  fi
}
mkdir "$work/dir"
printf '#!/bin/sh\nsleep 30\n' > "$work/slow-qemu"; chmod +x "$work/slow-qemu"
expect 0 '^usage: tdshim-qemu \[OPTIONS\] IMAGE' -- --help
expect 0 "^tdshim-qemu $version\$" -- --version
expect 2 '^tdshim-qemu: no IMAGE$' --
expect 2 "^tdshim-qemu: unknown option '--bogus'\$" -- --bogus "$image"
expect 2 '^tdshim-qemu: --smp given twice$' -- --smp 1 --smp 2 "$image"
expect 2 '^tdshim-qemu: --smp needs a value$' -- "$image" --smp
expect 2 "^tdshim-qemu: --smp: '0' is not a vCPU count" -- --smp 0 "$image"
expect 2 "^tdshim-qemu: --mem: '1X' is not a size" -- --mem 1X "$image"
expect 2 "^tdshim-qemu: --timeout: '-1' is not a number of seconds" -- --timeout -1 "$image"
expect 2 "^tdshim-qemu: --accept-limit: '12Q' is not" -- --accept-limit 12Q "$image"
expect 2 "^tdshim-qemu: --shared: 'yes' is not separate, alias or none" -- --shared yes "$image"
expect 2 "^tdshim-qemu: one IMAGE only" -- "$image" "$image"
expect 2 "^tdshim-qemu: image '$work/none': No such file or directory\$" -- "$work/none"
expect 2 "^tdshim-qemu: image '$work/dir': is a directory\$" -- "$work/dir"
expect 2 "^tdshim-qemu: --hob '$work/none': No such file or directory\$" -- --hob "$work/none" "$image"
expect 2 '^tdshim-qemu: --hob-out needs a generated HOB' -- --hob none --hob-out "$work/h" "$image"
expect 2 "^tdshim-qemu: --hob-out '$work/dir': is a directory\$" -- --hob-out "$work/dir" "$image"
expect 125 "^tdshim-qemu: QEMU '$work/none' not found" -- --qemu "$work/none" "$image"
expect 125 "^tdshim-qemu: no TD HOB layout '$work/none'" -- --qemu "$qemu" --hob-layout "$work/none" "$image"
expect 124 '' -- --qemu "$work/slow-qemu" --timeout 1 --hob-layout "$layout" "$image"
# A real boot: the test firmware without a payload stops with "boot ok" (exit 33).
expect 33 '^tdshim: boot ok' -- --qemu "$qemu" --hob-layout "$layout" --hob-out "$work/hob.bin" \
  --smp 2 --mem 512M "$image"
mapfile -t args < <(grep -v -e '^#' -e '^$' "$layout")
"$hob_tool" gen --mem 512M "${args[@]}" -o "$work/ref.bin"
if cmp "$work/hob.bin" "$work/ref.bin"; then echo "ok: --hob-out is tdshim-hob gen's HOB"
else echo "FAIL: --hob-out differs from tdshim-hob gen --mem 512M"; fail=1; fi
[ "$(stat -c %a "$work/hob.bin")" = "$(printf '%o' $(( 0666 & ~$(umask) )))" ] ||
  { echo "FAIL: --hob-out mode $(stat -c %a "$work/hob.bin")"; fail=1; }
# A symbolic link's target is replaced, the link stays.
ln -s ref.bin "$work/link"
expect 33 '^tdshim: boot ok' -- --qemu "$qemu" --hob-layout "$layout" --hob-out "$work/link" "$image"
[ -L "$work/link" ] || { echo "FAIL: --hob-out replaced the link"; fail=1; }
"$hob_tool" gen --mem 256M "${args[@]}" -o "$work/ref256.bin"
cmp -s "$work/ref.bin" "$work/ref256.bin" || { echo "FAIL: the link's target is not the new HOB"; fail=1; }
[ -z "$(find "$work" -name '*.??????')" ] || { echo "FAIL: temporary files left"; fail=1; }
[ "$fail" = 0 ] && echo "tdshim-qemu cli: ok"
exit "$fail"
