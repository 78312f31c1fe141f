#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause-Patent
"""The firmware we ship is the firmware we test: compare the production and test images' links.

usage: check-images.py PROD.map PROD.elf TEST.map TEST.elf

Fails (exit 1, one line per finding) unless:
  1. every input object of the production link is an input of the test link, by the same path
     (so the same bytes: both links take the one set of object files), and every section the
     production image keeps from it is in the test image too, with the same size;
  2. no production input is test code (tests/, the TDX-module emulator libtdshim-tdcall_emu.a), and no
     production symbol has a test or emulator name (tdtest_, tdx_emu_, __wrap_, __real_);
  3. the production image has no .tdtest section and its 16-bit reset target is real16_entry;
     the test image's is tdtest_real16_entry;
  4. every input only the test image has is test code or a library (reported, for the record).
"""
import importlib.util
import os
import re
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "link_size", os.path.join(here, "..", "..", "scripts", "link-size.py"))
link_size = importlib.util.module_from_spec(spec)
spec.loader.exec_module(link_size)

TEST_INPUT = re.compile(r"(^|/)tests/|libtdshim-tdcall_emu\.a\(|tdshim_fw_test_objs|td_entry\.o$")
TEST_SYMBOL = re.compile(r"^(tdtest_|tdx_emu_|__wrap_|__real_)")
MERGED = re.compile(r"\.str1\.|\.cst(4|8|16|32)($|\.)")


def sections(path):
    out = {}
    for section, size, inp in link_size.entries(path):
        if size:
            key = (inp, section)
            out[key] = out.get(key, 0) + size
    return out


def symbols(elf):
    text = subprocess.run(["nm", elf], check=True, capture_output=True, text=True).stdout
    syms = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    return syms


def section_names(elf):
    text = subprocess.run(["readelf", "-SW", elf], check=True, capture_output=True,
                          text=True).stdout
    return set(re.findall(r"\]\s+(\S+)", text))


def main(argv):
    if len(argv) != 5:
        sys.exit(__doc__)
    prod_map, prod_elf, test_map, test_elf = argv[1:]
    prod, test = sections(prod_map), sections(test_map)
    bad = []
    prod_inputs = {inp for inp, _ in prod}
    test_inputs = {inp for inp, _ in test}
    for inp in sorted(prod_inputs - test_inputs):
        bad.append(f"production input not in the test image: {inp}")
    for (inp, sec), size in sorted(prod.items()):
        # Mergeable constants and strings (SHF_MERGE) are shared between inputs by the linker,
        # so their size per input depends on the other inputs: only their presence is compared.
        if MERGED.search(sec):
            if (inp, sec) not in test:
                bad.append(f"{inp} {sec}: in production only")
            continue
        if inp in test_inputs and test.get((inp, sec)) != size:
            bad.append(f"{inp} {sec}: {size} bytes in production, {test.get((inp, sec))} in test")
    for inp in sorted(prod_inputs):
        if TEST_INPUT.search(inp):
            bad.append(f"test code in the production image: {inp}")
    psyms, tsyms = symbols(prod_elf), symbols(test_elf)
    for name in sorted(psyms):
        if TEST_SYMBOL.search(name):
            bad.append(f"test or emulator symbol in the production image: {name}")
    if ".tdtest" in section_names(prod_elf):
        bad.append("the production image has a .tdtest section")
    if psyms.get("shim_real16_target") != psyms.get("real16_entry"):
        bad.append("the production 16-bit reset target is not real16_entry")
    if tsyms.get("shim_real16_target") != tsyms.get("tdtest_real16_entry"):
        bad.append("the test image's 16-bit reset target is not its TD start")
    extra = sorted(test_inputs - prod_inputs)
    for line in bad:
        print("check-images: " + line)
    print(f"check-images: {len(prod_inputs)} production inputs, all in the test image with the "
          f"same sections; {len(extra)} test-image-only inputs:")
    for inp in extra:
        print("  " + re.sub(r".*/", "", inp))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
