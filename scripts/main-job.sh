#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine: set up, build everything (hosted libraries and
# tools, the freestanding libraries and firmware crypto), run a short self-check that says what
# works, then build the shim's TDVF image with the test payload and boot it in QEMU (TCG) with a
# boot report (tests/e2e/boot.sh); then boot Debian's cloud kernel with a busybox initramfs from
# fw_cfg in the emulated TD (tests/linux-boot/boot-linux.sh: the kernel's first lines, what /init
# found, and the CC event log checked against tdshim-measure and the RTMRs). Exits non-zero if
# anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
JOBS="$(nproc)"

echo "== build: hosted release (libraries, tools)"
cmake --preset release >/dev/null
cmake --build --preset release -j "$JOBS" >/dev/null
echo "== build: freestanding (libraries for firmware, mbedTLS from Debian's source package)"
cmake --preset freestanding >/dev/null
cmake --build --preset freestanding -j "$JOBS" >/dev/null

echo "== self-check"
ok=0; bad=0
check() { # name, command...
  local name="$1"; shift
  if out=$("$@" 2>&1); then
    printf '  [ok]   %s\n' "$name"; ok=$((ok + 1))
  else
    printf '  [FAIL] %s\n%s\n' "$name" "$out"; bad=$((bad + 1))
  fi
}
for lib in tdcall tdhob accept rtmr mailbox virtio-shared tdvf loader linux acpi secboot; do
  dir=lib$lib
  check "lib$lib builds hosted and freestanding" \
    test -f "build/release/$dir/lib$lib.a" -a -f "build/freestanding/$dir/lib$lib.a"
done
check "firmware crypto without libc (SHA-384 KATs, ECDSA-P384 and RSA-PSS-3072 verify)" \
  build/freestanding/tests/freestanding/crypto_selftest
check "host unit tests (release build)" ctest --preset release -j "$JOBS" --no-tests=error

echo "== self-check: $ok passed, $bad failed"
[ "$bad" -eq 0 ]
echo "== boot the shim in QEMU (TCG) with the test payload"
bash tests/e2e/boot.sh release
echo "== boot Linux from fw_cfg in the emulated TD (QEMU TCG, 2 vCPUs, 2 GiB)"
cache="${TDSHIM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tdshim}"
bash tests/linux-boot/boot-linux.sh qemu-system-x86_64 build/release/tdshim-test.img build/release \
  "$cache/linux/vmlinuz" build/release/tests/linux-boot/initramfs.cpio.gz td 2 2G \
  "console=ttyS0 loglevel=6 panic=-1 iomem=relaxed no_timer_check tdshim.test=1"
