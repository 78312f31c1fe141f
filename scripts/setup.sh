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
  qemu-system-x86 tpm2-tools acpica-tools openssl
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
echo "setup: ok (mbedtls source: $(ls -d "$CACHE"/mbedtls-2.28* | head -n1))"
