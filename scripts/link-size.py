#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause-Patent
"""Bytes each input object contributes to a GNU ld link, from its -Map file.

usage: link-size.py MAP [--group REGEX]...

Prints one line per input (archive member or object) with its text / rodata / data / bss bytes,
then the totals, then one line per --group (inputs whose name matches the regular expression).
Used to report the firmware's size with and without pieces of mbedTLS (docs/shim.md).
"""
import re
import sys
from collections import defaultdict

KINDS = ("text", "rodata", "data", "bss")


def kind_of(section):
    for k in KINDS:
        if section == "." + k or section.startswith("." + k + "."):
            return k
    if section.startswith(".data.rel.ro"):
        return "rodata"
    return None


def entries(path):
    """(section, size, input) for every input section the map places in the output, in order.
    `input` is the path as the map prints it (an object, or "archive.a(member.o)")."""
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    _, sep, body = text.partition("Linker script and memory map")
    if not sep:
        sys.exit(f"{path}: not a GNU ld map file")
    pending = None  # a section name printed alone on its line (long names wrap)
    for line in body.splitlines():
        if line.startswith(" .") or line.startswith(" COMMON"):
            parts = line.split()
            if len(parts) == 1:
                pending = parts[0]
                continue
            section, rest = parts[0], parts[1:]
        elif pending is not None and line.startswith("  "):
            section, rest = pending, line.split()
        else:
            pending = None
            continue
        pending = None
        if len(rest) < 3 or not rest[0].startswith("0x") or not rest[1].startswith("0x"):
            continue
        yield section, int(rest[1], 16), rest[2]


def parse(path):
    sizes = defaultdict(lambda: dict.fromkeys(KINDS, 0))
    for section, size, inp in entries(path):
        kind = "bss" if section == "COMMON" else kind_of(section)
        if kind is None:
            continue
        sizes[re.sub(r".*/", "", inp)][kind] += size
    return sizes


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    sizes = parse(argv[1])
    groups = []
    args = argv[2:]
    while args:
        if args[0] != "--group" or len(args) < 2:
            sys.exit(__doc__)
        groups.append(args[1])
        args = args[2:]
    fmt = "{:>8} {:>8} {:>8} {:>8}  {}"
    print(fmt.format(*KINDS, "input"))
    total = dict.fromkeys(KINDS, 0)
    for name in sorted(sizes, key=lambda n: -sum(sizes[n].values())):
        s = sizes[name]
        if sum(s.values()) == 0:
            continue
        print(fmt.format(*(s[k] for k in KINDS), name))
        for k in KINDS:
            total[k] += s[k]
    print(fmt.format(*(total[k] for k in KINDS), "TOTAL"))
    for g in groups:
        rx = re.compile(g)
        acc = dict.fromkeys(KINDS, 0)
        for name, s in sizes.items():
            if rx.search(name):
                for k in KINDS:
                    acc[k] += s[k]
        print(fmt.format(*(acc[k] for k in KINDS), "group " + g))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
