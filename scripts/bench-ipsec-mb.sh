#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# librtmr's SHA-384 (OpenSSL's perlasm) against Intel's ipsec-mb single-buffer SHA-384 and
# libcrypto, side by side (tests/rtmr/bench_sha384_ipsec_mb.c; docs/librtmr.md "Where the code
# comes from"). Debian's libipsec-mb-dev and libipsec-mb1 are fetched with `apt-get download` and
# unpacked into a temporary directory: nothing is installed.
# usage: scripts/bench-ipsec-mb.sh [BUILD_DIR]   (default build/release; needs librtmr built there)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build/release}"
lib="$build/librtmr/libtdshim-rtmr.a"
[ -f "$lib" ] || { echo "bench-ipsec-mb: $lib missing (cmake --build --preset release)" >&2; exit 2; }
w="$(mktemp -d)"; trap 'rm -rf "$w"' EXIT
(cd "$w" && apt-get download -qq libipsec-mb-dev libipsec-mb1 >/dev/null 2>&1) ||
  { echo "bench-ipsec-mb: apt-get download libipsec-mb-dev libipsec-mb1 failed" >&2; exit 1; }
for d in "$w"/*.deb; do dpkg-deb -x "$d" "$w/root"; done
echo "bench-ipsec-mb: $(dpkg-deb -f "$w"/libipsec-mb1_*.deb Package Version | tr '\n' ' ')"
multi="$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)"
gcc -O2 -std=gnu11 -I "$w/root/usr/include" -I "$root/include" \
    "$root/tests/rtmr/bench_sha384_ipsec_mb.c" -o "$w/bench" "$lib" \
    -L "$w/root/usr/lib/$multi" -lIPSec_MB -lcrypto
arg=""; grep -qw avx512f /proc/cpuinfo || arg=noavx512
LD_LIBRARY_PATH="$w/root/usr/lib/$multi" "$w/bench" $arg
