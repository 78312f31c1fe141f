#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: set-up, then every gate.
#   1. hosted debug build, all unit/integration tests under ASan+UBSan (-fno-sanitize-recover=all)
#   2. freestanding build of every library + the no-libc firmware crypto link test
#   3. ThreadSanitizer build, concurrency tests
#   4. clang/libFuzzer build, every fuzz target for a bounded time over its seeds
#   5. static analysis: clang-format, clang-tidy, cppcheck, gcc -fanalyzer (zero findings)
# Exits non-zero if any step fails; prints a summary line per step and a final count.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || { echo "test: set-up failed"; exit 1; }

JOBS="$(nproc)"
passed=0; failed=0; failed_steps=()
step() {
  local name="$1"; shift
  local t0=$SECONDS
  echo "=== $name"
  if "$@"; then
    echo "=== $name: PASS ($((SECONDS - t0)) s)"; passed=$((passed + 1))
  else
    echo "=== $name: FAIL ($((SECONDS - t0)) s)"; failed=$((failed + 1)); failed_steps+=("$name")
  fi
}
preset() { # configure + build + test one preset; $2 = ctest's --no-tests policy
  local p="$1" notests="${2:-error}"
  cmake --preset "$p" >/dev/null || return 1
  cmake --build --preset "$p" -j "$JOBS" || return 1
  ctest --preset "$p" -j "$JOBS" --no-tests="$notests" || return 1
}
freestanding() {
  cmake --preset freestanding >/dev/null && cmake --build --preset freestanding -j "$JOBS" &&
    ctest --test-dir build/freestanding --output-on-failure --no-tests=error
}

step "hosted debug (ASan+UBSan) tests" preset debug
step "freestanding build + firmware crypto link test" freestanding
# CFLAGS reaches the hosted TSan build but must not reach its firmware sub-build: the
# reproducibility step below compares that firmware with the others byte for byte.
# Only what the step runs is built: the executables of the tests labelled concurrency (the tsan
# test preset's filter; each test is named after its executable) and the firmware sub-build.
tsan() {
  local -x CFLAGS="-falign-functions=32" # this step only
  cmake --preset tsan >/dev/null || return 1
  local targets
  mapfile -t targets < <(ctest --test-dir build/tsan -N -L concurrency | sed -n 's/^ *Test *#[0-9]*: //p')
  [ "${#targets[@]}" -gt 0 ] || { echo "tsan: no test labelled concurrency"; return 1; }
  echo "tsan: building ${targets[*]} tdshim_firmware"
  cmake --build --preset tsan -j "$JOBS" --target "${targets[@]}" tdshim_firmware || return 1
  ctest --preset tsan -j "$JOBS" --no-tests=error || return 1
}
step "ThreadSanitizer concurrency tests" tsan
step "libFuzzer targets (bounded)" preset fuzz
step "static analysis (format, library includes, clang-tidy, cppcheck, -fanalyzer)" bash scripts/lint.sh all
# Four firmware builds in four directories and configurations (debug+ASan, TSan with CFLAGS in the
# environment, -fanalyzer, the freestanding preset): the same bytes, the README's MRTD.
step "reproducible firmware" bash scripts/repro-check.sh --readme build/debug build/tsan \
  build/analyze build/freestanding

echo
if [ "$failed" -ne 0 ]; then
  echo "failed steps: ${failed_steps[*]}"
fi
echo "steps: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
