#!/usr/bin/env bash
# Static-analysis gates: clang-format, clang-tidy, cppcheck, gcc -fanalyzer. Exit non-zero on any
# finding. Usage: scripts/lint.sh [format|includes|tidy|cppcheck|analyzer|all]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
jobs="$(nproc)"
# Our own C sources (not build trees, not third-party).
mapfile -t SRC < <(git ls-files '*.c' '*.h' | grep -v '^cmake/mbedtls/libc/' || true)
mapfile -t CSRC < <(printf '%s\n' "${SRC[@]}" | grep '\.c$' || true)
fail=0

if [ "$what" = format ] || [ "$what" = all ]; then
  echo "lint: clang-format (${#SRC[@]} files)"
  if ! clang-format --dry-run -Werror "${SRC[@]}"; then
    echo "lint: clang-format found differences (run: clang-format -i <file>)"; fail=1
  fi
fi

if [ "$what" = format ] || [ "$what" = all ]; then
  # Merge-conflict markers left in any tracked file (a comment hides them from the compiler).
  echo "lint: merge-conflict markers"
  if git grep -nE '^(<<<<<<<|>>>>>>>)( |$)|^=======$' -- ':!*.rst' ; then
    echo "lint: merge-conflict markers found"; fail=1
  fi
fi

if [ "$what" = includes ] || [ "$what" = all ]; then
  # The libraries and their public headers include no system header beyond stdint.h, stddef.h
  # and stdbool.h (issue 2; the freestanding build would also take the compiler's own stdarg.h,
  # stdatomic.h, cpuid.h, ...). Allowed on top: mbedTLS's headers, and <string.h> in the hosted
  # branch of include/tdshim/mem.h.
  mapfile -t LIBSRC < <(git ls-files 'lib*/*.c' 'lib*/*.h' 'lib*/*.S' 'include/tdshim/*.h')
  echo "lint: library includes (${#LIBSRC[@]} files)"
  bad="$(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*<' "${LIBSRC[@]}" |
         grep -vE '<(stdint|stddef|stdbool)\.h>|<mbedtls/[a-z0-9_]+\.h>' |
         grep -vE '^include/tdshim/mem\.h:[0-9]+:#include <string\.h>$' || true)"
  if [ -n "$bad" ]; then
    printf '%s\n' "$bad"
    echo "lint: a library includes a system header beyond stdint/stddef/stdbool"; fail=1
  fi
fi

if [ "$what" = tidy ] || [ "$what" = all ] || [ "$what" = cppcheck ]; then
  # Both tools read the compile database of a plain hosted configure. Nothing is built: no C file
  # of ours includes a generated header, so the database is all they need.
  cmake -S . -B build/lint -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
        -DCMAKE_C_COMPILER=gcc >/dev/null
fi

if [ "$what" = tidy ] || [ "$what" = all ]; then
  # Only files the hosted build compiles (firmware-only sources get gcc -fanalyzer below).
  mapfile -t CSRC < <(for f in "${CSRC[@]}"; do
    grep -q "\"file\": \"$PWD/$f\"" build/lint/compile_commands.json && echo "$f"; done)
  echo "lint: clang-tidy (${#CSRC[@]} files)"
  if ! printf '%s\n' "${CSRC[@]}" | xargs -P "$jobs" -n 4 clang-tidy -p build/lint --quiet \
        > build/lint/clang-tidy.log 2>&1; then
    grep -E 'warning:|error:' build/lint/clang-tidy.log | sort -u | head -50
    echo "lint: clang-tidy has findings (full log: build/lint/clang-tidy.log)"; fail=1
  fi
fi

if [ "$what" = cppcheck ] || [ "$what" = all ]; then
  echo "lint: cppcheck"
  if ! cppcheck --project=build/lint/compile_commands.json --error-exitcode=1 --quiet \
        --enable=warning,portability,performance --inline-suppr -j "$jobs" \
        --suppress=missingIncludeSystem -i build -i "$HOME/.cache" \
        --suppress='*:*/cmocka.h' 2> build/lint/cppcheck.log; then
    cat build/lint/cppcheck.log | head -50
    echo "lint: cppcheck has findings"; fail=1
  fi
fi

if [ "$what" = analyzer ] || [ "$what" = all ]; then
  echo "lint: gcc -fanalyzer"
  cmake --preset analyze >/dev/null
  if ! cmake --build --preset analyze -j "$jobs" > build/analyze.log 2>&1; then
    grep -E 'warning:|error:' build/analyze.log | head -50
    echo "lint: gcc -fanalyzer has findings (full log: build/analyze.log)"; fail=1
  fi
  echo "lint: gcc -fanalyzer (freestanding build)"
  # MinSizeRel, as the freestanding preset and the firmware sub-build: the images must fit the
  # same windows as the ones that ship (an -O0 test image leaves the shim's 2 MiB paging window).
  cmake -S . -B build/analyze-freestanding -G Ninja -DCMAKE_C_COMPILER=gcc \
        -DCMAKE_BUILD_TYPE=MinSizeRel -DTDSHIM_FREESTANDING=ON -DTDSHIM_ANALYZER=ON >/dev/null
  if ! cmake --build build/analyze-freestanding -j "$jobs" > build/analyze-freestanding.log 2>&1; then
    grep -E 'warning:|error:' build/analyze-freestanding.log | head -50
    echo "lint: gcc -fanalyzer (freestanding) has findings"; fail=1
  fi
fi

exit "$fail"
