#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause-Patent
"""The largest TD HOB the default TD_HOB section holds (128 KiB): a hostile VMM's valid list.

usage: big-hob.py OUT merged|many

The standard test layout for 256 MiB (test-vmm-hob.args: RAM [0, 1M) unaccepted, [1M, 2M) added,
[2M, 6M) reserved, [6M, 8M) and the TD_HOB section added, the rest unaccepted), then as many
4 KiB MMIO resource descriptors as fit (2,723; 2,729 resources in all, 131,056 bytes):
  merged  the MMIO pages are adjacent (one MMIO range in the memory map): a valid HOB the shim
          must measure whole, validate in O(n log n) and boot with;
  many    every other page (2,723 separate MMIO ranges): more memory-map ranges than the shim
          takes (32), which it must refuse with a line naming the limit.
Layouts: UEFI PI spec vol. 3 (PHIT 56 bytes, resource descriptor 48 bytes, END 8 bytes).
"""
import struct
import sys

GPA = 0x800000
SECTION = 0x20000
MB = 0x100000


def hob_header(typ, length):
    return struct.pack("<HHI", typ, length, 0)


def resource(rtype, attr, start, length):
    return hob_header(3, 48) + bytes(16) + struct.pack("<IIQQ", rtype, attr, start, length)


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in ("merged", "many"):
        sys.exit(__doc__)
    ram = [(7, 0, MB), (0, MB, MB), (5, 2 * MB, 4 * MB), (0, 6 * MB, 2 * MB + 0x20000),
           (7, 8 * MB + 0x20000, 256 * MB - 8 * MB - 0x20000)]
    body = b"".join(resource(t, 0x7, s, n) for t, s, n in ram)
    room = (SECTION - 56 - 8) // 48 - len(ram)
    step = 0x1000 if sys.argv[2] == "merged" else 0x2000
    body += b"".join(resource(1, 0x403, 0xC0000000 + i * step, 0x1000) for i in range(room))
    total = 56 + len(body) + 8
    phit = hob_header(1, 56) + struct.pack("<IIQQQQQ", 9, 0, 0, 0, 0, 0, GPA + total)
    data = phit + body + hob_header(0xFFFF, 8)
    assert len(data) == total <= SECTION
    with open(sys.argv[1], "wb") as f:
        f.write(data)


main()
