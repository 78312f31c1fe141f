#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause-Patent
# #VE end-to-end checks (issue 9; docs/shim.md "Traps"). usage: ve-check.sh QEMU IMAGE CASE
# Boots the test image with the shim test command CASE (shim/ve.c): the shim arms the emulator's
# pending VEINFO, executes `int $20` right before the real instruction, and its #VE handler must
# emulate that instruction through TDVMCALLs and step over it (or, for the hostile cases, stop on
# the fatal path with the reason). The expected console lines of every case are listed here.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
qemu="$1"; image="$2"; case="$3"
boot=("$here/boot-test.sh" "$qemu" "$image")
fatal_vmm="^tdshim: vmm: ReportFatalError vcpu=0 code=0xe0140000 msg='#VE not handled'$"
rip="rip=0x00000000001[0-9a-f]{5}"
case "$case" in
  ve-cpuid)
    exec "${boot[@]}" 33 "$case" \
      "^tdshim: ve-cpuid: leaf=0 max=0x[0-9a-f]+ vendor='\\?\\?\\?\\?\\?\\?\\?\\?\\?\\?\\?\\?' tdvmcall<cpuid>=\\+0 step=2 \\(not the VMM's to answer: zeros\\)$" \
      "^tdshim: ve-cpuid: leaf=0x40000000 eax=0x40000001 ebx=0x54474354 ecx=0x43544743 edx=0x47435447 tdvmcall<cpuid>=\\+1$" \
      "^tdshim: ve: 2 #VE handled$" "^tdshim: boot ok$" ;;
  ve-io)
    exec "${boot[@]}" 33 "$case" \
      "^tdshim: ve-io: fw_cfg signature='QEMU' upper-rax-kept=yes tdvmcall<io>=\\+5 step=1$" \
      "^tdshim: ve: 5 #VE handled$" "^tdshim: boot ok$" ;;
  ve-msr)
    exec "${boot[@]}" 33 "$case" \
      "^tdshim: ve-msr: IA32_APIC_BASE=0xfee00900 tdvmcall<rdmsr>=\\+1 tdvmcall<wrmsr>=\\+1 step=2$" \
      "^tdshim: ve: 2 #VE handled$" "^tdshim: boot ok$" ;;
  ve-hlt)
    exec "${boot[@]}" 33 "$case" \
      "^tdshim: ve-hlt: resumed; vmm saw r11=0xc r12=1 \\(interrupts blocked\\) step=1$" \
      "^tdshim: ve: 1 #VE handled$" "^tdshim: boot ok$" ;;
  ve-mmio)
    # IOAPIC version register (index 1 via IOREGSEL/IOWIN): 0x20, 24 redirection entries;
    # HPET capabilities: vendor 0x8086, 10 ns period (QEMU 7.2 q35).
    exec "${boot[@]}" 33 "$case" \
      "^tdshim: ve-mmio: ioapic version=0x170020 hpet cap=0x9896808086a201 movzx=0x80 movsx=0xffffffffffffff80 movsxw32=0xffff8000 tdvmcall<mmio>=\\+6 step=5$" \
      "^tdshim: ve: 6 #VE handled$" "^tdshim: boot ok$" ;;
  ve-io-string)
    exec "${boot[@]}" 35 "$case" \
      "^tdshim: FATAL: #VE exit_reason=30 qual=0x5110018 gla=0x0 gpa=0x0 ${rip}: string I/O \\(INS/OUTS\\) refused$" \
      "$fatal_vmm" ;;
  ve-unknown)
    exec "${boot[@]}" 35 "$case" \
      "^tdshim: FATAL: #VE exit_reason=55 qual=0x0 gla=0x0 gpa=0x0 ${rip}: exit reason not handled$" \
      "$fatal_vmm" ;;
  ve-mmio-bad)
    exec "${boot[@]}" 35 "$case" \
      "^tdshim: FATAL: #VE exit_reason=48 qual=0x0 gla=0x100000000000 gpa=0x8000fec00000 ${rip}: MMIO instruction is not a MOV form$" \
      "$fatal_vmm" ;;
  ve-mmio-private)
    exec "${boot[@]}" 35 "$case" \
      "^tdshim: FATAL: #VE exit_reason=48 qual=0x0 gla=0x100000000000 gpa=0xfec00000 ${rip}: EPT violation on a private GPA$" \
      "$fatal_vmm" ;;
  ve-vmm-error)
    exec "${boot[@]}" 35 "$case" \
      "^tdshim: FATAL: #VE exit_reason=10 qual=0x0 gla=0x0 gpa=0x0 ${rip}: VMM error or hostile answer \\(vmm r10=0x8000000000000000\\)$" \
      "$fatal_vmm" ;;
  ve-noinfo)
    exec "${boot[@]}" 35 "$case" \
      "^tdshim: FATAL: #VE without valid VE info \\(VEINFO.GET rax=0xc000070400000000\\) ${rip}$" \
      "$fatal_vmm" ;;
  *) echo "ve-check.sh: unknown case $case"; exit 2 ;;
esac
