#!/usr/bin/env bash
# Consumer projects (tests/consumers/*) built against an installed package only.
# Usage: run.sh install|deb <build-dir> <scratch-dir> [extra C/link flags]
# Environment: TDSHIM_QEMU, the QEMU the emulated-TD consumer boots with (required).
#   Both: `cmake --install <build-dir>` into <scratch>/prefix.
#   install: build every consumer against <scratch>/prefix.
#   deb:     also `cpack -G DEB` (libtdshim-dev, tdshim-tools, tdshim-firmware), `dpkg-deb -x`
#            them into <scratch>/root, check that the packages hold exactly the files of the install,
#            build every consumer once against <scratch>/root/usr alone, run the packaged tools,
#            and lintian on the packages (any E: fails; W: are printed).
# Consumers, the examples installed with the package and built from the install: host/ (CMake
# find_package, and the same main.c with a Makefile on pkg-config),
# cxx/ (C++11, CMake), emu/ (a host test on the installed emulator backend, CMake and Makefile),
# the freestanding mini firmware of tests/freestanding/package (the freestanding archives the
# install carries from the firmware sub-build), and td/, a mini firmware booted in QEMU as the
# payload of the installed test firmware through the emulated TD (tdshim-image, tdshim-qemu).
# Sanitized (debug preset) archives need the consumer to link the same runtime: the extra flags.
set -euo pipefail
mode="$1"; build="$2"; work="$3"; flags="${4:-}"
rm -rf "$work"; mkdir -p "$work"
t0=$SECONDS
phase() { echo "consumer: $1 ($((SECONDS - t0)) s)"; }

cmake --install "$build" --prefix "$work/prefix" >/dev/null
prefix="$work/prefix"
lintian_pid=""
case "$mode" in
  install) ;;
  deb)
    cpack --config "$build/CPackConfig.cmake" -B "$work/cpack" >"$work/cpack.log" 2>&1 ||
      { cat "$work/cpack.log"; exit 1; }
    debs=("$work"/cpack/*.deb)
    [ "${#debs[@]}" -eq 3 ] || { echo "consumer: expected 3 packages, got ${debs[*]}"; exit 1; }
    for d in "${debs[@]}"; do
      echo "consumer: $(basename "$d"): $(dpkg-deb -f "$d" Package) $(dpkg-deb -f "$d" Version)," \
           "Depends: $(dpkg-deb -f "$d" Depends)"
      dpkg-deb -x "$d" "$work/root"
    done
    # lintian takes seconds: it runs while the consumers build.
    lintian --tag-display-limit 0 "${debs[@]}" >"$work/lintian.log" 2>&1 &
    lintian_pid=$!
    # The packages are the install, file for file: building the consumers once, against the
    # packages, covers both.
    if ! diff <(cd "$work/prefix" && find . -type f | sort) \
              <(cd "$work/root/usr" && find . -type f | sort); then
      echo "consumer: the packages' files differ from cmake --install's"; exit 1
    fi
    prefix="$work/root/usr"
    phase "installed, packaged and unpacked"
    ;;
  *) echo "usage: run.sh install|deb ..."; exit 2 ;;
esac

# The consumers are the installed examples (share/doc/libtdshim-dev/examples: these directories
# and tests/freestanding/package), built from there.
src="$(find "$prefix" -path '*/doc/libtdshim-dev/examples' -type d | head -n1)"
[ -n "$src" ] && [ -f "$src/README.md" ] || { echo "consumer: no examples installed under $prefix"; exit 1; }
# Only the unpacked/installed tree: no user package registry, pkg-config reads no system dir.
pcdir="$(dirname "$(find "$prefix" -name tdshim-tdcall.pc | head -n1)")"
[ -f "$pcdir/tdshim-tdcall.pc" ] || { echo "consumer: no tdshim-tdcall.pc under $prefix"; exit 1; }
export PKG_CONFIG_LIBDIR="$pcdir" PKG_CONFIG_PATH=""
# Every .pc resolves (its Requires are installed too).
for pc in "$pcdir"/*.pc; do
  pkg-config --exists --print-errors "$(basename "$pc" .pc)"
done
cmake_consumer() { # <source subdir> <binary>
  cmake -S "$src/$1" -B "$work/$1" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
        -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_C_FLAGS="$flags" \
        -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" >"$work/$1.log" 2>&1 ||
    { cat "$work/$1.log"; exit 1; }
  cmake --build "$work/$1" >>"$work/$1.log" 2>&1 || { cat "$work/$1.log"; exit 1; }
  "$work/$1/$2"
}
make_consumer() { # <source subdir> <binary>
  make -s -C "$src/$1" OUT="$work" EXTRA="$flags" >"$work/$1-make.log" 2>&1 ||
    { cat "$work/$1-make.log"; exit 1; }
  "$work/$2"
}

cmake_consumer host consumer
echo "consumer: cmake ok"
make_consumer host consumer-make
echo "consumer: pkg-config + make ok"
cmake_consumer cxx consumer_cxx
echo "consumer: c++ ok"
cmake_consumer emu emu_test
make_consumer emu emu_test-make
echo "consumer: emulator backend ok"
# The freestanding archives, same install: tests/freestanding/package's mini firmware (libtdhob,
# libaccept, librtmr) built against this tree alone (find_package, the documented compiler line,
# pkg-config) and run.
bash "$src/freestanding/run.sh" --prefix "$prefix" "$work/freestanding" gcc \
  >"$work/freestanding.log" 2>&1 || { cat "$work/freestanding.log"; exit 1; }
echo "consumer: freestanding ok"
# The same archives in a firmware that boots: td/ (libtdhob, libaccept, librtmr, libtdcall) as the
# payload of the installed test firmware, in QEMU through the emulated TD, with the installed tools.
bash "$src/td/boot.sh" "$prefix" "$work/td" "${TDSHIM_QEMU:?TDSHIM_QEMU names the QEMU to boot with}" \
  >"$work/td.log" 2>&1 || { cat "$work/td.log"; exit 1; }
grep '^mini: \(memory\|rtmr3\)' "$work/td.log"
echo "consumer: emulated TD ok"

if [ "$mode" = deb ]; then
  # The packaged tools run from the unpacked tree, and their manual pages are there.
  for t in tdshim-image tdshim-measure tdshim-hob tdshim-eventlog tdshim-sign tdshim-enroll \
           tdshim-qemu; do
    "$prefix/bin/$t" --version >/dev/null
    [ -f "$prefix/share/man/man1/$t.1.gz" ] || { echo "consumer: no manual page for $t"; exit 1; }
  done
  echo "consumer: packaged tools ok"
  status=0
  wait "$lintian_pid" || status=$?
  grep -E '^[EW]: ' "$work/lintian.log" || true
  if grep -q '^E: ' "$work/lintian.log" || [ "$status" -ge 2 ]; then
    echo "consumer: lintian reports errors (exit $status)"; cat "$work/lintian.log"; exit 1
  fi
  echo "consumer: lintian ok"
fi
phase "done"
