#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause-Patent
"""The test initramfs: a gzip'ed newc cpio with busybox and an /init that reports and powers off.

usage: mkinitramfs.py BUSYBOX INIT_SCRIPT OUT.cpio.gz

BUSYBOX is a static busybox binary (Debian's busybox-static, unpacked by scripts/setup.sh),
INIT_SCRIPT the shell script that becomes /init. The archive holds /init, /bin/busybox and the
empty directories /dev /proc /sys /tmp; every file is owned by root, with a fixed mtime, so the
bytes (and so their measurement) depend only on the inputs. Format: the "newc" cpio of the Linux
initramfs (Documentation/driver-api/early-userspace/buffer-format.rst), gzip without a name or
time stamp.
"""
import gzip
import sys


def entry(name, mode, data=b"", ino=1):
    name_b = name.encode() + b"\0"
    hdr = "070701" + "".join("%08X" % v for v in (
        ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name_b), 0))
    out = hdr.encode() + name_b
    out += b"\0" * (-len(out) % 4)
    out += data
    out += b"\0" * (-len(out) % 4)
    return out


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    busybox = open(sys.argv[1], "rb").read()
    init = open(sys.argv[2], "rb").read()
    parts = [entry(d, 0o040755, ino=i + 1) for i, d in enumerate(("bin", "dev", "proc", "sys", "tmp"))]
    parts.append(entry("bin/busybox", 0o100755, busybox, ino=10))
    parts.append(entry("init", 0o100755, init, ino=11))
    parts.append(entry("TRAILER!!!", 0, ino=0))
    raw = b"".join(parts)
    with open(sys.argv[3], "wb") as f:
        f.write(gzip.compress(raw, compresslevel=6, mtime=0))


main()
