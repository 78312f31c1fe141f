#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause-Patent
"""A hostile VMM's TempMem: the bytes a VMM could put in the TempMem section before the TD runs.

usage: tempmem-fill.py FIRMWARE_ELF OUT [--ff]

TempMem (0x100000-0x7FFFFF in the default layout) is added with TDH.MEM.PAGE.ADD but not
TDH.MR.EXTEND: its first bytes are the VMM's, and they are not in MRTD. OUT (7 MiB, loaded by the
harness with -device loader,addr=0x100000,force-raw=on) holds, for the firmware FIRMWARE_ELF:
  * a set gate everywhere: no 32-bit word in TempMem is zero;
  * page tables at the firmware's early-table symbols (shim_pml4, shim_pdpt, shim_pd): an
    identity map of 0-4 GiB with 2 MiB pages, writable and executable;
  * code: every 4 KiB page is a NOP sled ending in MARKER code, and the firmware's entry symbols
    in TempMem (shim_entry64, shim_ap_entry64, shim_main, shim_ap_main) start with MARKER code.
MARKER prints "TEMPMEM-PWNED" on COM1 and leaves QEMU through isa-debug-exit with status 85; it
decodes the same in 32-bit and 64-bit mode. A vCPU that ever runs the VMM's bytes, or walks the
VMM's tables, shows the marker. With --ff every byte is 0xFF instead (the reproduction in the
issue that found the hole: 4 vCPUs triple-faulted on it).
"""
import subprocess
import sys

BASE = 0x100000
END = 0x800000
PAGE = 0x1000


def marker():
    code = bytearray(b"\x66\xba\xf8\x03")  # mov dx, 0x3f8
    for ch in b"TEMPMEM-PWNED\r\n":
        code += bytes([0xB0, ch, 0xEE])  # mov al, ch; out dx, al
    code += b"\x66\xba\xf4\x00"  # mov dx, 0xf4 (isa-debug-exit)
    code += b"\xb0\x2a\xee"  # mov al, 0x2a; out dx, al -> exit status 0x2a * 2 + 1 = 85
    code += b"\xf4\xeb\xfd"  # hlt; jmp back to the hlt
    return bytes(code)


def symbols(elf):
    out = subprocess.run(["nm", elf], check=True, capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    return syms


def main():
    if len(sys.argv) not in (3, 4) or (len(sys.argv) == 4 and sys.argv[3] != "--ff"):
        sys.exit(__doc__)
    elf, out = sys.argv[1], sys.argv[2]
    if len(sys.argv) == 4:
        with open(out, "wb") as f:
            f.write(b"\xff" * (END - BASE))
        return
    syms = symbols(elf)
    m = marker()
    buf = bytearray(b"\x90" * (END - BASE))
    for page in range(BASE, END, PAGE):  # every page: sled, then the marker at its end
        at = page + PAGE - 64 - BASE
        buf[at:at + len(m)] = m
    # Page tables: PML4[0] -> PDPT, PDPT[0..3] -> PD pages, 2 MiB identity leaves (P|RW|PS).
    need = ("shim_pml4", "shim_pdpt", "shim_pd")
    for name in need:
        if name not in syms or not BASE <= syms[name] < END:
            sys.exit(f"tempmem-fill: {elf} has no {name} in TempMem")
    pml4, pdpt, pd = (syms[n] for n in need)

    def put64(addr, value):
        o = addr - BASE
        buf[o:o + 8] = value.to_bytes(8, "little")

    for i in range(512):
        put64(pml4 + 8 * i, (pdpt | 3) if i == 0 else 0)
        put64(pdpt + 8 * i, (pd + PAGE * i) | 3 if i < 4 else 0)
    for i in range(2048):
        put64(pd + 8 * i, (i << 21) | 0x83)
    for name in ("shim_entry64", "shim_ap_entry64", "shim_main", "shim_ap_main"):
        a = syms.get(name)
        if a is not None and BASE <= a < END - len(m):
            buf[a - BASE:a - BASE + len(m)] = m
    tables = ((pml4, pml4 + PAGE), (pdpt, pdpt + PAGE), (pd, pd + 4 * PAGE))
    if any(buf[i:i + 4] == b"\0\0\0\0" for i in range(0, len(buf), 4)
           if not any(lo <= BASE + i < hi for lo, hi in tables)):
        sys.exit("tempmem-fill: a zero word outside the page tables")
    with open(out, "wb") as f:
        f.write(buf)


main()
