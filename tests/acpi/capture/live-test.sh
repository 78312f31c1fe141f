#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# ctest acpi_qemu_live: capture q35's ACPI files from the installed QEMU now, then run
# test_acpi_qemu over them instead of the committed fixture.
# usage: live-test.sh PYTHON QEMU NASM OUTDIR TEST_BINARY
set -euo pipefail
python="$1"; qemu="$2"; nasm="$3"; out="$4"; test="$5"
rm -rf "$out"
"$python" "$(dirname "$0")/capture.py" --qemu "$qemu" --nasm "$nasm" --out "$out"
cat "$out/QEMU"
ACPI_FIXTURE_DIR="$out" "$test"
