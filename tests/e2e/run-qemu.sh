#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# Boot a TDVF image under QEMU TCG with the debug console on stdout (docs/shim.md "Test harness").
# usage: run-qemu.sh QEMU IMAGE TIMEOUT_SECONDS [extra qemu args...]
# Environment: TDSHIM_SMP (vCPUs, default 1), TDSHIM_MEM (RAM, default 256M),
#   TDSHIM_SHARED_ALIAS=1: back guest RAM with a shared file (memory-backend-file, share=on) and
#   give the file's first MiB to an ivshmem-plain device in slot 0x10, whose BAR the test image
#   puts at 0x800000000000 (bit 47: the shared bit with GPAW 48), so a GPA below 1 MiB with the
#   shared bit reads and writes the same bytes as the private GPA without it (no SRAT, no memory
#   hotplug: the guest sees a plain q35 machine).
#   TDSHIM_SHARED_ALIAS=separate: shared memory apart from private RAM, as in a TD: guest RAM is
#   anonymous memory (transparent huge pages: no per-page fault in the guest's first touches, which
#   cost a Linux boot 0.3 s on a shared file), and the ivshmem-plain device in slot 0x10 has its own
#   1 MiB file; the emulated VMM (tests/fw/fw_vmm.c, knob opt/tdshim/shared-separate) points QEMU's
#   fw_cfg DMA at it, so the shim sees a transfer only through its shared mappings.
#   TDSHIM_HOB=FILE: load FILE at the TD_HOB section (0x800000), as the VMM does.
# Every boot also gets the writable BFV the test image's TD start needs (tests/fw/td_entry.nasm):
# an ivshmem-plain device whose 2 MiB memory (a temporary file) holds a copy of the top 2 MiB below
# 4 GiB as the VMM maps the image there (the image's last 2 MiB; an image smaller than 2 MiB with
# zeros in front, where a TD has no page); the test image maps it over the BIOS ROM, as a TD has
# its BFV in private RAM.
# The production image never touches the device.
# Exit status: QEMU's (isa-debug-exit: 33 = shim ok, 35 = shim fatal), 124 on timeout.
set -u
qemu="$1"; image="$2"; limit="$3"; shift 3
tmpfiles=()
# Guest memory files on tmpfs when there is one: a file on a disk file system makes every first
# touch of a guest page a page-cache fault with writeback behind it (the kernel's decompression
# alone took 0.8 s longer in a TD boot).
shm="${TMPDIR:-/tmp}"
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then shm=/dev/shm; fi
trap 'rm -f "${tmpfiles[@]}"' EXIT
bfv="$(mktemp "$shm/tdshim-bfv.XXXXXX")"
tmpfiles+=("$bfv")
size=$(stat -c %s "$image")
if [ "$size" -lt 2097152 ]; then
  { head -c $((2097152 - size)) /dev/zero; cat "$image"; } > "$bfv"
else
  tail -c 2097152 "$image" > "$bfv"
fi
overlay=(-object "memory-backend-file,id=tdbfv,size=2M,mem-path=$bfv,share=on"
  -device ivshmem-plain,memdev=tdbfv)
hob=()
if [ -n "${TDSHIM_HOB:-}" ]; then
  hob=(-device "loader,file=$TDSHIM_HOB,addr=0x800000,force-raw=on")
fi
mem="${TDSHIM_MEM:-256M}"
memargs=(-m "$mem")
machine=q35
if [ "${TDSHIM_SHARED_ALIAS:-0}" = separate ]; then
  shared="$(mktemp "$shm/tdshim-shared.XXXXXX")"
  tmpfiles+=("$shared")
  truncate -s 1M "$shared"
  memargs=(-m "$mem"
    -object "memory-backend-file,id=alias0,size=1M,mem-path=$shared,share=on"
    -device ivshmem-plain,memdev=alias0,addr=0x10
    -fw_cfg name=opt/tdshim/shared-separate,string=1)
elif [ "${TDSHIM_SHARED_ALIAS:-0}" = 1 ]; then
  ram="$(mktemp "$shm/tdshim-ram.XXXXXX")"
  tmpfiles+=("$ram")
  truncate -s "$mem" "$ram"
  machine=q35,memory-backend=ram0
  memargs=(-m "$mem"
    -object "memory-backend-file,id=ram0,size=$mem,mem-path=$ram,share=on"
    -object "memory-backend-file,id=alias0,size=1M,mem-path=$ram,share=on"
    -device ivshmem-plain,memdev=alias0,addr=0x10)
fi
timeout --kill-after=2 "$limit" "$qemu" \
  -accel tcg -machine "$machine" -cpu max,phys-bits=48 "${memargs[@]}" -smp "${TDSHIM_SMP:-1}" \
  -nodefaults -display none -serial stdio -no-reboot \
  -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
  "${overlay[@]}" "${hob[@]}" -bios "$image" "$@"
