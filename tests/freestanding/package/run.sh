#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# run.sh <build dir> <scratch dir> <C compiler>: install the freestanding build into a scratch
# prefix, then build tests/freestanding/package/mini.c against that prefix alone, three ways:
# find_package(TdShimFreestanding), the compiler line docs/freestanding.md gives, and pkg-config.
# Each result must run and pass.
# run.sh --prefix <prefix> <scratch dir> <C compiler>: the same against an existing install (the
# Debian package unpacked: tests/consumers/run.sh).
set -euo pipefail
if [ "$1" = --prefix ]; then
  prefix=$2 work=$3 cc=$4 build=""
else
  build=$1 work=$2 cc=$3 prefix=""
fi
src=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
if [ -n "$build" ]; then
  prefix=$work/prefix
  cmake --install "$build" --prefix "$prefix" > "$work/install.log"
fi
libdir=$(find "$prefix" -type d -name tdshim-freestanding | head -n1)
test -n "$libdir" || { echo "no tdshim-freestanding archive directory under $prefix"; exit 1; }
for a in tdhob accept rtmr crypto; do
  test -f "$libdir/libtdshim-$a.a" || { echo "missing $libdir/libtdshim-$a.a"; exit 1; }
done

echo "== find_package(TdShimFreestanding CONFIG)"
cmake -S "$src" -B "$work/cmake" -G Ninja -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=MinSizeRel \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF > "$work/configure.log"
cmake --build "$work/cmake" > "$work/build.log" || { cat "$work/build.log"; exit 1; }
"$work/cmake/mini"

echo "== the documented compiler line"
inc=$($cc -print-file-name=include)
$cc -std=c11 -Os -Wall -Wextra -Werror -ffreestanding -mno-red-zone -mgeneral-regs-only \
  -nostdinc -isystem "$inc" -I"$prefix/include" -c "$src/mini.c" -o "$work/mini.o"
$cc -nostdlib -static -no-pie -Wl,--gc-sections -o "$work/mini-cc" "$work/mini.o" \
  -L"$libdir" -ltdshim-rtmr -ltdshim-accept -ltdshim-tdhob -lgcc
"$work/mini-cc"
# ... and the same as one relocatable object (what a firmware's own link script takes).
ld -r -o "$work/mini-fw.o" "$work/mini.o" --whole-archive "$libdir/libtdshim-rtmr.a" \
  "$libdir/libtdshim-accept.a" "$libdir/libtdshim-tdhob.a"

if command -v pkg-config > /dev/null; then
  echo "== pkg-config"
  pcdir=$(dirname "$(find "$prefix" -name tdshim-freestanding-rtmr.pc | head -n1)")
  pcs="tdshim-freestanding-rtmr tdshim-freestanding-accept tdshim-freestanding-tdhob"
  # shellcheck disable=SC2046
  $cc -std=c11 -Os -Werror -nostdinc -isystem "$inc" \
    $(PKG_CONFIG_PATH=$pcdir pkg-config --cflags $pcs) -c "$src/mini.c" -o "$work/mini-pc.o"
  # shellcheck disable=SC2046
  $cc -nostdlib -static -no-pie -o "$work/mini-pc" "$work/mini-pc.o" \
    $(PKG_CONFIG_PATH=$pcdir pkg-config --libs $pcs) -lgcc
  "$work/mini-pc"
fi
echo "freestanding package: ok"
