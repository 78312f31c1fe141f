#!/usr/bin/env bash
# One idempotent set-up for a fresh Debian 12 machine (run as root, or with sudo available).
# Installs every Debian package the project uses and fetches mbedTLS's Debian source package
# (for the freestanding firmware build) into a cache outside git. A second run with everything in
# place takes seconds: it checks first and only calls apt-get when something is missing.
set -euo pipefail

PKGS=(
  build-essential cmake ninja-build pkg-config nasm clang lld llvm
  libclang-rt-14-dev clang-tidy clang-format cppcheck
  libmbedtls-dev libcbor-dev libcmocka-dev
  qemu-system-x86 ovmf tpm2-tools acpica-tools openssl
  dpkg-dev xz-utils python3
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

CACHE="${TDSHIM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tdshim}"
SRC_LIST=/etc/apt/sources.list.d/tdshim-deb-src.sources

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

have_mbedtls_src() { ls -d "$CACHE"/mbedtls-2.28*/library >/dev/null 2>&1; }

need_update=0
if [ ${#missing[@]} -gt 0 ]; then need_update=1; fi
if ! have_mbedtls_src && [ ! -f "$SRC_LIST" ]; then
  # deb-src entry for the same Debian archive the machine already uses.
  $SUDO tee "$SRC_LIST" >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  need_update=1
fi
if ! have_mbedtls_src; then need_update=1; fi

if [ "$need_update" -eq 1 ]; then
  echo "setup: apt-get update"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! have_mbedtls_src; then
  echo "setup: fetching Debian's mbedtls source package into $CACHE"
  mkdir -p "$CACHE"
  (cd "$CACHE" && apt-get source -qq --download-only mbedtls >/dev/null \
     && dpkg-source -x --skip-patches mbedtls_2.28*.dsc >/dev/null 2>&1 || true)
  if ! have_mbedtls_src; then
    # dpkg-source names the directory after the upstream version.
    (cd "$CACHE" && for d in mbedtls_2.28*.dsc; do dpkg-source -x "$d" >/dev/null; done)
  fi
  have_mbedtls_src || { echo "setup: could not unpack the mbedtls source package" >&2; exit 1; }
fi
# The Linux end-to-end tests boot Debian's cloud kernel with a busybox-static initramfs: both come
# from Debian's archive (apt-get download, dpkg-deb -x), cached outside the repository, never
# committed. The kernel package is the one the linux-image-cloud-amd64 metapackage names today.
LINUX="$CACHE/linux"
have_linux() { [ -s "$LINUX/vmlinuz" ] && [ -x "$LINUX/busybox" ] && [ -s "$LINUX/VERSION" ]; }
if ! have_linux; then
  echo "setup: fetching Debian's cloud kernel and busybox-static into $LINUX"
  [ "$need_update" -eq 1 ] || $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  kpkg="$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')"
  [ -n "$kpkg" ] || { echo "setup: cannot resolve linux-image-cloud-amd64" >&2; exit 1; }
  dl="$(mktemp -d)"
  (cd "$dl" && apt-get download -qq "$kpkg" busybox-static >/dev/null 2>&1) ||
    { rm -rf "$dl"; echo "setup: apt-get download $kpkg busybox-static failed" >&2; exit 1; }
  mkdir -p "$dl/x" "$LINUX"
  for deb in "$dl"/*.deb; do dpkg-deb -x "$deb" "$dl/x"; done
  cp "$dl"/x/boot/vmlinuz-* "$LINUX/vmlinuz"
  cp "$dl/x/bin/busybox" "$LINUX/busybox"
  { echo "$kpkg $(dpkg-deb -f "$dl"/linux-image-*.deb Version)"
    echo "busybox-static $(dpkg-deb -f "$dl"/busybox-static*.deb Version)"; } > "$LINUX/VERSION"
  rm -rf "$dl"
  have_linux || { echo "setup: could not unpack the kernel or busybox" >&2; exit 1; }
fi
# --- OpenSSL's SHA-512 perlasm (librtmr's SHA-384; docs/librtmr.md "Where the code comes from") ---
# Three files of Debian's `openssl` source package for the machine's own release (deb-src as for
# mbedtls above), unpacked into $CACHE/openssl-<upstream version>/ with their source-tree paths;
# the build generates the assembly from them with perl. apt-get source checks the files against
# the signed Sources index. Never committed. libssl-dev: the differential tests compare with
# libcrypto; valgrind: the instruction-count benchmark.
OSSL_PKGS=(perl libssl-dev valgrind)
have_openssl_src() {
  local d
  for d in "$CACHE"/openssl-3.0.*; do
    [ -f "$d/crypto/sha/asm/sha512-x86_64.pl" ] && [ -f "$d/crypto/perlasm/x86_64-xlate.pl" ] &&
      [ -f "$d/LICENSE.txt" ] && return 0
  done
  return 1
}
ossl_missing=()
for p in "${OSSL_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || ossl_missing+=("$p")
done
if [ ${#ossl_missing[@]} -gt 0 ] || ! have_openssl_src; then
  if [ ! -f "$SRC_LIST" ]; then
    $SUDO tee "$SRC_LIST" >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  fi
  [ "$need_update" -eq 1 ] || $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  need_update=1
fi
if [ ${#ossl_missing[@]} -gt 0 ]; then
  echo "setup: installing ${ossl_missing[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${ossl_missing[@]}" >/dev/null
fi
if ! have_openssl_src; then
  echo "setup: fetching Debian's openssl source package (3 files of it) into $CACHE"
  dl="$(mktemp -d)"
  (cd "$dl" && apt-get source -qq --download-only openssl >/dev/null 2>&1) ||
    { rm -rf "$dl"; echo "setup: apt-get source openssl failed" >&2; exit 1; }
  orig="$(ls "$dl"/openssl_3.0.*.orig.tar.* 2>/dev/null | head -n1)"
  [ -n "$orig" ] || { rm -rf "$dl"; echo "setup: no openssl 3.0 orig tarball" >&2; exit 1; }
  # openssl_3.0.N.orig.tar.gz unpacks to openssl-3.0.N/.
  top="$(basename "$orig" | sed -E 's/^openssl_([0-9.]+)\.orig\.tar\..*$/openssl-\1/')"
  mkdir -p "$CACHE"
  tar -xf "$orig" -C "$CACHE" "$top/crypto/sha/asm/sha512-x86_64.pl" \
    "$top/crypto/perlasm/x86_64-xlate.pl" "$top/LICENSE.txt"
  (cd "$dl" && ls openssl_*.dsc) > "$CACHE/$top/DEBIAN-SOURCE"
  rm -rf "$dl"
  have_openssl_src || { echo "setup: could not unpack openssl's perlasm files" >&2; exit 1; }
fi
# --- end of the OpenSSL block ---
echo "setup: ok (mbedtls source: $(ls -d "$CACHE"/mbedtls-2.28* | head -n1); linux: $(head -n1 "$LINUX/VERSION"))"
echo "setup: openssl perlasm: $(ls -d "$CACHE"/openssl-3.0.* | tail -n1)"
