#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# Boot a TDVF image under QEMU TCG with the debug console on stdout (docs/shim.md "Test harness").
# usage: run-qemu.sh QEMU IMAGE TIMEOUT_SECONDS [extra qemu args...]
# Environment: TDSHIM_SMP (vCPUs, default 1), TDSHIM_MEM (RAM, default 256M),
#   TDSHIM_SHARED_ALIAS=1: back guest RAM with a shared file (memory-backend-file, share=on) and
#   map the same file again with a pc-dimm at 0x800000000000 (bit 47: the shared bit with GPAW 48),
#   so a GPA with the shared bit reads and writes the same bytes as the private GPA without it.
# Exit status: QEMU's (isa-debug-exit: 33 = shim ok, 35 = shim fatal), 124 on timeout.
set -u
qemu="$1"; image="$2"; limit="$3"; shift 3
mem="${TDSHIM_MEM:-256M}"
memargs=(-m "$mem")
machine=q35
if [ "${TDSHIM_SHARED_ALIAS:-0}" = 1 ]; then
  ram="$(mktemp "${TMPDIR:-/tmp}/tdshim-ram.XXXXXX")"
  trap 'rm -f "$ram"' EXIT
  truncate -s "$mem" "$ram"
  # maxmem reaches past 2^47 so the DIMM fits the device-memory window above RAM.
  machine=q35,memory-backend=ram0
  memargs=(-m "$mem,slots=1,maxmem=129T"
    -object "memory-backend-file,id=ram0,size=$mem,mem-path=$ram,share=on"
    -object "memory-backend-file,id=alias0,size=$mem,mem-path=$ram,share=on"
    -device pc-dimm,memdev=alias0,addr=0x800000000000)
fi
timeout --kill-after=2 "$limit" "$qemu" \
  -accel tcg -machine "$machine" -cpu max,phys-bits=48 "${memargs[@]}" -smp "${TDSHIM_SMP:-1}" \
  -nodefaults -display none -serial stdio -no-reboot \
  -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
  -bios "$image" "$@"
