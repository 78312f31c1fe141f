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
  lintian man-db groff-base
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

# mbedTLS for the firmware: the 3.6 LTS source package of Debian 13 (trixie), through a deb-src
# entry for trixie only (binary packages keep coming from the machine's own release). The version
# is pinned so that bookworm's 2.28 is never picked; apt-get source checks the files against the
# signed Sources index. Unpacked (with Debian's patches) into $CACHE/mbedtls-<upstream version>/.
# Hosted builds use the machine's libmbedtls-dev (2.28 on Debian 12): docs/architecture.md,
# "mbedTLS".
MBEDTLS_DEB_VERSION="3.6.6-0.1~deb13u1"
# The SHA-256 of the unpacked tree (tree_sha256 below): the firmware's MRTD depends on these bytes,
# so a verifier rebuilding an image must get exactly them (README "Rebuild and check the MRTD").
MBEDTLS_TREE_SHA256="d12ea90a3a541ffab121406583fe92b4cdd1fc660e5ffecac8ad179b0249630f"
# One hash over every file of a source tree: the SHA-256 of `sha256sum` of its files in byte
# order of their paths (the DEBIAN-SOURCE and UNPINNED notes this script writes excluded).
tree_sha256() {
  (cd "$1" && find . -type f ! -name DEBIAN-SOURCE ! -name UNPINNED -printf '%P\n' | LC_ALL=C sort |
     tr '\n' '\0' | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}
# A cached source tree must be the pinned one, byte for byte; a tree fetched because the pinned
# version had left the archive is marked UNPINNED and only warned about (its firmware will not
# have the README's reference MRTD).
check_pinned() { # dir, expected tree hash, what
  if [ ! -d "$1" ]; then
    echo "setup: WARNING: no $1 (the pinned $3 version); the build takes what is in $CACHE," \
         "and the firmware will not have the README's reference MRTD" >&2
    return 0
  fi
  if [ -f "$1/UNPINNED" ]; then
    echo "setup: WARNING: $1 is not the pinned $3 source ($(cat "$1/UNPINNED")): the firmware" \
         "built from it will not have the README's reference MRTD" >&2
    return 0
  fi
  local got; got="$(tree_sha256 "$1")"
  [ "$got" = "$2" ] || { echo "setup: $1 is not the pinned $3 source (tree SHA-256 $got," \
                              "pinned $2): remove it and run scripts/setup.sh again" >&2; exit 1; }
}
# apt-get source --download-only of PACKAGE=VERSION into DIR; when the archive no longer has that
# version, of PACKAGE/SUITE instead, loudly, leaving DIR/unpinned as a mark.
fetch_pinned() { # dir, package, version, fallback suite, the variables to update
  if ! (cd "$1" && apt-get source -qq --download-only "$2=$3" >/dev/null 2>&1); then
    echo "setup: WARNING: $2 $3 is no longer in $4; taking $2/$4 instead (update $5)" >&2
    (cd "$1" && apt-get source -qq --download-only "$2/$4" >/dev/null 2>&1) ||
      { rm -rf "$1"; echo "setup: apt-get source $2/$4 failed" >&2; exit 1; }
    touch "$1/unpinned"
  fi
}
TRIXIE_SRC_LIST=/etc/apt/sources.list.d/tdshim-trixie-src.sources
have_mbedtls_src() {
  local d
  for d in "$CACHE"/mbedtls-3.6.*; do
    [ -f "$d/library/sha512.c" ] && [ -f "$d/include/mbedtls/build_info.h" ] && return 0
  done
  return 1
}

need_update=0
if [ ${#missing[@]} -gt 0 ]; then need_update=1; fi
if ! have_mbedtls_src; then
  if [ ! -f "$TRIXIE_SRC_LIST" ]; then
    # Debian 12's debian-archive-keyring (2023.3+deb12u1 and later) holds trixie's signing keys.
    $SUDO tee "$TRIXIE_SRC_LIST" >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  fi
  need_update=1
fi

if [ "$need_update" -eq 1 ]; then
  echo "setup: apt-get update"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! have_mbedtls_src; then
  echo "setup: fetching Debian's mbedtls $MBEDTLS_DEB_VERSION source package into $CACHE"
  mkdir -p "$CACHE"
  dl="$(mktemp -d)"
  # trixie's point releases replace the package: then trixie's current one, loudly.
  fetch_pinned "$dl" mbedtls "$MBEDTLS_DEB_VERSION" trixie "MBEDTLS_DEB_VERSION and MBEDTLS_TREE_SHA256"
  dsc="$(ls "$dl"/mbedtls_3.6.*.dsc 2>/dev/null | head -n1)"
  [ -n "$dsc" ] || { rm -rf "$dl"; echo "setup: no mbedtls 3.6 source package" >&2; exit 1; }
  # mbedtls_3.6.N-<debian revision>.dsc unpacks to mbedtls-3.6.N/. (dpkg-source cannot check the
  # uploader's inline signature without debian-keyring; its output is shown only on failure.)
  up="$(basename "$dsc" .dsc)"; up="${up#mbedtls_}"; up="${up%%-*}"
  dpkg-source -x "$dsc" "$dl/mbedtls-$up" >"$dl/log" 2>&1 ||
    { cat "$dl/log" >&2; rm -rf "$dl"; echo "setup: dpkg-source -x $dsc failed" >&2; exit 1; }
  basename "$dsc" > "$dl/mbedtls-$up/DEBIAN-SOURCE"
  if [ -f "$dl/unpinned" ]; then
    echo "$(basename "$dsc") instead of the pinned $MBEDTLS_DEB_VERSION" > "$dl/mbedtls-$up/UNPINNED"
  fi
  mv "$dl/mbedtls-$up" "$CACHE/"
  rm -rf "$dl"
  have_mbedtls_src || { echo "setup: could not unpack the mbedtls source package" >&2; exit 1; }
fi
check_pinned "$CACHE/mbedtls-${MBEDTLS_DEB_VERSION%%-*}" "$MBEDTLS_TREE_SHA256" mbedtls
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
# Three files of Debian's `openssl` source package for the machine's own release (a bookworm
# deb-src entry; pinned to openssl/bookworm, as the trixie entry above offers a newer openssl),
# unpacked into $CACHE/openssl-<upstream version>/ with their source-tree paths; the build
# generates the assembly from them with perl. apt-get source checks the files against the signed
# Sources index. Never committed. libssl-dev: the differential tests compare with
# libcrypto; valgrind: the instruction-count benchmark.
OSSL_PKGS=(perl libssl-dev valgrind)
OPENSSL_DEB_VERSION="3.0.20-1~deb12u2"
OPENSSL_TREE_SHA256="ff62821a1bd43a4aa6ac7c616c790d1d03bbd13c69445f14321caa2da228356e"
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
  created=0
  if [ ! -f "$SRC_LIST" ]; then
    $SUDO tee "$SRC_LIST" >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    created=1
  fi
  if [ "$need_update" -eq 0 ] || [ "$created" -eq 1 ]; then
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  fi
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
  fetch_pinned "$dl" openssl "$OPENSSL_DEB_VERSION" bookworm "OPENSSL_DEB_VERSION and OPENSSL_TREE_SHA256"
  orig="$(ls "$dl"/openssl_3.0.*.orig.tar.* 2>/dev/null | head -n1)"
  [ -n "$orig" ] || { rm -rf "$dl"; echo "setup: no openssl 3.0 orig tarball" >&2; exit 1; }
  # openssl_3.0.N.orig.tar.gz unpacks to openssl-3.0.N/.
  top="$(basename "$orig" | sed -E 's/^openssl_([0-9.]+)\.orig\.tar\..*$/openssl-\1/')"
  mkdir -p "$CACHE"
  tar -xf "$orig" -C "$CACHE" "$top/crypto/sha/asm/sha512-x86_64.pl" \
    "$top/crypto/perlasm/x86_64-xlate.pl" "$top/LICENSE.txt"
  (cd "$dl" && ls openssl_*.dsc) > "$CACHE/$top/DEBIAN-SOURCE"
  if [ -f "$dl/unpinned" ]; then
    echo "$(cat "$CACHE/$top/DEBIAN-SOURCE") instead of the pinned $OPENSSL_DEB_VERSION" \
      > "$CACHE/$top/UNPINNED"
  fi
  rm -rf "$dl"
  have_openssl_src || { echo "setup: could not unpack openssl's perlasm files" >&2; exit 1; }
fi
ossl_up="${OPENSSL_DEB_VERSION%%-*}"
check_pinned "$CACHE/openssl-$ossl_up" "$OPENSSL_TREE_SHA256" openssl
# --- end of the OpenSSL block ---
echo "setup: ok (mbedtls source: $(ls -d "$CACHE"/mbedtls-3.6.* | sort -V | tail -n1); linux: $(head -n1 "$LINUX/VERSION"))"
echo "setup: openssl perlasm: $(ls -d "$CACHE"/openssl-3.0.* | tail -n1)"
