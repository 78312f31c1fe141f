#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause-Patent
"""Check one Linux boot's console (tests/linux-boot/boot-linux.sh).

usage: check-linux.py CONSOLE SMP MEM CMDLINE [--ccel-log OUT] [--acpi-dir DIR]
       check-linux.py --acpi-only CONSOLE --acpi-dir DIR

Requires the test initramfs's report (tests/linux-boot/init.sh): userspace reached, the exact command
line, SMP processors in /proc/cpuinfo, MemTotal between 80 % and 100 % of MEM (the kernel keeps
its own image, page tables and reserved ranges out of MemTotal; 256M gives about 85 %). With
--ccel-log, the CC event log the CCEL table points to is rebuilt from the "tdinit: log" lines
(od -Ax -tx1 -w64, runs of identical lines folded into "*") and written to OUT, cut at its end
(the first byte of the 0xFF fill after the last event), for the caller to replay. With
--acpi-dir, QEMU's ACPI files as the test image's emulated VMM dumped them ("tdtest: acpi-file" /
"tdtest: acpi-data" lines, tests/fw/fw_vmm.c) are written to DIR as 0, 1, 2, ...: the
table-loader script, then each file it ALLOCATEs in script order (the order the shim measures
them), and the paths are printed one per line to DIR/order. --acpi-only does only that (a boot
without userspace: tests/linux-boot/boot-region.sh).
"""
import re
import sys


def fail(msg):
    print(f"check-linux: FAIL: {msg}")
    sys.exit(1)


def size_of(mem):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(mem[:-1]) * units[mem[-1]] if mem[-1] in units else int(mem)


def rebuild(lines):
    data = bytearray()
    prev = None
    for line in lines:
        parts = line.split()
        if parts[0] == "*":
            continue  # a repeat of prev until the next offset
        off = int(parts[0], 16)
        if prev is not None and off > len(data):
            while len(data) < off:
                data += prev
            del data[off:]
        if len(parts) == 1:
            break  # the final offset line
        row = bytes(int(b, 16) for b in parts[1:])
        if off != len(data):
            fail(f"log dump offset {off:#x}, expected {len(data):#x}")
        data += row
        prev = row
    return bytes(data)


def log_end(area):
    """The end of a TCG2 crypto-agile log (SHA-384 only) that is followed by 0xFF fill."""
    if len(area) < 32:
        fail("log area too short")
    # Spec ID event: 32-byte TCG_PCR_EVENT header (event size at 28), then its data.
    off = 32 + int.from_bytes(area[28:32], "little")
    while off + 4 <= len(area) and area[off:off + 4] != b"\xff\xff\xff\xff":
        # CC_EVENT: mr(4) type(4) count(4) {alg(2) digest(48)} size(4) data
        count = int.from_bytes(area[off + 8:off + 12], "little")
        if count != 1:
            fail(f"event at {off:#x}: {count} digests, expected 1 (SHA-384)")
        size = int.from_bytes(area[off + 62:off + 66], "little")
        off += 66 + size
    return off


def acpi_files(text, outdir):
    import os
    import struct
    files = {}
    for line in text.splitlines():
        parts = line.split()
        if line.startswith("tdtest: acpi-file ") and len(parts) == 4:
            files[parts[2]] = bytearray(int(parts[3]))
        elif line.startswith("tdtest: acpi-data ") and len(parts) == 5:
            data = bytes.fromhex(parts[4])
            off = int(parts[3])
            files[parts[2]][off:off + len(data)] = data
    script = files.get("etc/table-loader")
    if script is None:
        fail("no ACPI files dumped by the emulated VMM")
    order = ["etc/table-loader"]
    for i in range(0, len(script), 128):
        if struct.unpack("<I", script[i:i + 4])[0] == 1:
            order.append(script[i + 4:i + 60].split(b"\0")[0].decode())
    os.makedirs(outdir, exist_ok=True)
    paths = []
    for k, name in enumerate(order):
        if name not in files:
            fail(f"the script allocates {name}, which was not dumped")
        path = os.path.join(outdir, str(k))
        with open(path, "wb") as f:
            f.write(files[name])
        paths.append(path)
    with open(os.path.join(outdir, "order"), "w") as f:
        f.write("".join(p + "\n" for p in paths))
    print("check-linux: ACPI files for the reference: " +
          ", ".join(f"{n} ({len(files[n])} bytes)" for n in order))


def main():
    args = sys.argv[1:]
    out = None
    acpi_dir = None
    if "--acpi-dir" in args:
        i = args.index("--acpi-dir")
        acpi_dir = args[i + 1]
        del args[i:i + 2]
    if "--ccel-log" in args:
        i = args.index("--ccel-log")
        out = args[i + 1]
        del args[i:i + 2]
    if "--acpi-only" in args:
        args.remove("--acpi-only")
        if len(args) != 1 or acpi_dir is None:
            sys.exit(__doc__)
        acpi_files(open(args[0], encoding="utf-8", errors="replace").read(), acpi_dir)
        return
    if len(args) != 4:
        sys.exit(__doc__)
    console, smp, mem, cmdline = args
    text = open(console, encoding="utf-8", errors="replace").read().replace("\r", "")
    report = [l[len("tdinit: "):] for l in text.splitlines() if l.startswith("tdinit: ")]
    if "userspace" not in report:
        fail("userspace not reached")
    if f"cmdline={cmdline}" not in report:
        got = [r for r in report if r.startswith("cmdline=")]
        fail(f"command line {got}, expected {cmdline!r}")
    if f"cpus={smp}" not in report:
        fail(f"{[r for r in report if r.startswith('cpus=')]}, expected cpus={smp}")
    total = [r for r in report if r.startswith("MemTotal:")]
    if not total:
        fail("no MemTotal")
    kib = int(re.match(r"MemTotal: (\d+) kB", total[0]).group(1))
    want = size_of(mem) // 1024
    if not 0.80 * want <= kib <= want:
        fail(f"MemTotal {kib} kB, expected 80..100 % of {want} kB")
    print(f"check-linux: userspace, cmdline, cpus={smp}, MemTotal {kib} kB of {want} kB "
          f"({100 * kib / want:.1f} %)")
    if acpi_dir is not None:
        acpi_files(text, acpi_dir)
    if out is not None:
        if not any(r.startswith("ccel ") for r in report):
            fail("no CCEL table")
        log = [r[len("log "):] for r in report if r.startswith("log ")]
        if not log:
            fail("no CC event log dump (tables/data/CCEL)")
        area = rebuild(log)
        end = log_end(area)
        with open(out, "wb") as f:
            f.write(area[:end])
        print(f"check-linux: CC event log rebuilt from the kernel's view: {end} bytes "
              f"(area {len(area)} bytes)")


main()
