#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause-Patent
"""Capture QEMU's q35 ACPI fw_cfg files (etc/table-loader, etc/acpi/tables, etc/acpi/rsdp).

Assembles dump-fwcfg.nasm into a 64 KiB BIOS, boots it under QEMU TCG (q35, 4 vCPUs, 2 GiB,
-nodefaults: the machine the e2e tests boot), reads the debug-console output and writes into OUT:
  table-loader   the script, as QEMU gives it
  rsdp           the RSDP blob, as QEMU gives it
  tables         the table blob cut after its last used byte (QEMU pads it with zeros to 128 KiB)
  MANIFEST       one line per file: fw_cfg name, full size, sha256 of the full file, file in OUT
  QEMU           the QEMU version and the command line used
The tests pad `tables` with zeros back to the size in MANIFEST and check its sha256.
usage: capture.py --qemu QEMU --nasm NASM --out OUT
"""
import argparse
import hashlib
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
WANTED = [("etc/table-loader", "table-loader"), ("etc/acpi/tables", "tables"),
          ("etc/acpi/rsdp", "rsdp")]


def parse(dump):
    if dump[:8] != b"FWCFGDMP":
        sys.exit("capture: no dump magic (did the ROM run?)")
    count = struct.unpack(">I", dump[8:12])[0]
    pos = 12
    files = {}
    for _ in range(count):
        entry = dump[pos:pos + 64]
        pos += 64
        size = struct.unpack(">I", entry[:4])[0]
        name = entry[8:].split(b"\0")[0].decode()
        files[name] = dump[pos:pos + size]
        if len(files[name]) != size:
            sys.exit(f"capture: {name} truncated in the dump")
        pos += size
    return files


def used_length(tables, script):
    """End of the last non-zero byte or of the last checksum range over the table blob."""
    end = len(tables.rstrip(b"\0"))
    for i in range(0, len(script), 128):
        cmd = struct.unpack("<I", script[i:i + 4])[0]
        name = script[i + 4:i + 60].split(b"\0")[0]
        if cmd == 3 and name == b"etc/acpi/tables":
            start, length = struct.unpack("<II", script[i + 64:i + 72])
            end = max(end, start + length)
    return end


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--qemu", default="qemu-system-x86_64")
    ap.add_argument("--nasm", default="nasm")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rom = os.path.join(tmp, "dump-fwcfg.rom")
        out = os.path.join(tmp, "fwcfg.bin")
        subprocess.run([args.nasm, "-f", "bin", "-o", rom,
                        os.path.join(HERE, "dump-fwcfg.nasm")], check=True)
        cmd = [args.qemu, "-accel", "tcg", "-machine", "q35", "-m", "2G", "-smp", "4",
               "-nodefaults", "-display", "none", "-no-reboot", "-bios", rom,
               "-debugcon", "file:" + out]
        subprocess.run(cmd, check=True, timeout=60)
        with open(out, "rb") as f:
            files = parse(f.read())
        version = subprocess.run([args.qemu, "--version"], check=True, capture_output=True,
                                 text=True).stdout.splitlines()[0]
    os.makedirs(args.out, exist_ok=True)
    manifest = []
    for name, fname in WANTED:
        data = files.get(name)
        if data is None:
            sys.exit(f"capture: QEMU offered no {name}")
        keep = data
        if fname == "tables":
            keep = data[:used_length(data, files["etc/table-loader"])]
        with open(os.path.join(args.out, fname), "wb") as f:
            f.write(keep)
        manifest.append(f"{name} {len(data)} {hashlib.sha256(data).hexdigest()} {fname}\n")
    with open(os.path.join(args.out, "MANIFEST"), "w") as f:
        f.writelines(manifest)
    qemu_cmd = " ".join(os.path.basename(c) if c == rom else c for c in cmd)
    with open(os.path.join(args.out, "QEMU"), "w") as f:
        f.write(version + "\n" + qemu_cmd.replace(out, "OUT") + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
