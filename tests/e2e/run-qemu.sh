#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# Boot a TDVF image under QEMU TCG with the debug console on stdout (docs/shim.md "Test harness").
# usage: run-qemu.sh QEMU IMAGE TIMEOUT_SECONDS [extra qemu args...]
# Environment: TDSHIM_SMP (vCPUs, default 1), TDSHIM_MEM (RAM, default 256M).
# Exit status: QEMU's (isa-debug-exit: 33 = shim ok, 35 = shim fatal), 124 on timeout.
set -u
qemu="$1"; image="$2"; limit="$3"; shift 3
exec timeout --kill-after=2 "$limit" "$qemu" \
  -accel tcg -machine q35 -cpu max,phys-bits=48 -m "${TDSHIM_MEM:-256M}" -smp "${TDSHIM_SMP:-1}" \
  -nodefaults -display none -serial stdio -no-reboot \
  -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
  -bios "$image" "$@"
