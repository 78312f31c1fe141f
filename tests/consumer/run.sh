#!/usr/bin/env bash
# Usage: run.sh <build-dir> <consumer-source-dir> <scratch-dir> [extra C/link flags]
set -euo pipefail
build="$1"; src="$2"; work="$3"; flags="${4:-}"
rm -rf "$work"; mkdir -p "$work"
prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
# 1. CMake package.
cmake -S "$src" -B "$work/cmake-build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
      -DCMAKE_C_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" >/dev/null
cmake --build "$work/cmake-build" >/dev/null
"$work/cmake-build/consumer"
echo "consumer: cmake ok"
# 2. pkg-config, every library.
libdir=$(ls -d "$prefix"/lib*/pkgconfig | head -n1)
export PKG_CONFIG_PATH="$libdir"
pkgs="tdshim-tdcall tdshim-tdhob tdshim-accept tdshim-rtmr tdshim-mailbox tdshim-virtio-shared"
# shellcheck disable=SC2046
# shellcheck disable=SC2086
cc -std=c11 -Wall -Werror $flags $(pkg-config --cflags $pkgs) "$src/main.c" -o "$work/consumer-pc" \
   $(pkg-config --libs --static $pkgs)
"$work/consumer-pc"
echo "consumer: pkg-config ok"
# 3. C++: every installed header in one C++11 translation unit (-pedantic), linked to the C
# libraries through the headers' extern "C".
# shellcheck disable=SC2046
# shellcheck disable=SC2086
c++ -std=c++11 -Wall -Wextra -Werror -pedantic $flags $(pkg-config --cflags $pkgs) \
    "$src/cxx_main.cpp" -o "$work/consumer-cxx" $(pkg-config --libs --static $pkgs)
"$work/consumer-cxx"
echo "consumer: c++ ok"
