#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause-Patent
"""Turn the SHIM_ABI_* macros of shim/abi.h into a NASM include (one definition for C and asm).

usage: gen_abi_inc.py CC ABI_H OUT_INC
Runs `CC -E -dM` over the header, keeps every SHIM_ABI_* object-like macro, evaluates its value
as an integer expression (C integer suffixes dropped; only literals, names of earlier SHIM_ABI_*
macros, parentheses and + - * << >> | & allowed) and writes `%define NAME 0x...`. Any other
macro value is an error, so the header cannot hold something the assembler would read
differently.
"""
import re
import subprocess
import sys

cc, header, out = sys.argv[1:4]
text = subprocess.run([cc, "-E", "-dM", "-x", "c", header], check=True,
                      capture_output=True, text=True).stdout
macros = {}
for line in text.splitlines():
    m = re.match(r"#define (SHIM_ABI_[A-Z0-9_]+) (.+)$", line)
    if m:
        macros[m.group(1)] = m.group(2).strip()
if not macros:
    sys.exit(f"{header}: no SHIM_ABI_* macros")

values = {}
token = re.compile(r"\s*(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*|\s*(SHIM_ABI_[A-Z0-9_]+)|\s*(<<|>>|[-+*|&()])")


def evaluate(name, expr, seen=()):
    if name in values:
        return values[name]
    if name in seen:
        sys.exit(f"{header}: {name} refers to itself")
    pos, parts = 0, []
    while pos < len(expr):
        t = token.match(expr, pos)
        if not t or t.end() == pos:
            if expr[pos:].strip() == "":
                break
            sys.exit(f"{header}: {name}: cannot read '{expr}' as an integer expression")
        if t.group(1):
            parts.append(str(int(t.group(1), 0)))
        elif t.group(2):
            ref = t.group(2)
            if ref not in macros:
                sys.exit(f"{header}: {name} uses unknown {ref}")
            parts.append(str(evaluate(ref, macros[ref], seen + (name,))))
        else:
            parts.append(t.group(3))
        pos = t.end()
    v = eval(" ".join(parts), {"__builtins__": {}})  # only digits and operators reach here
    if not isinstance(v, int) or v < 0 or v >= 1 << 64:
        sys.exit(f"{header}: {name} = {v} is not a 64-bit unsigned value")
    values[name] = v
    return v


lines = ["; Generated from shim/abi.h by shim/gen_abi_inc.py. Do not edit."]
for name in sorted(macros):
    lines.append(f"%define {name} 0x{evaluate(name, macros[name]):x}")
with open(out, "w") as f:
    f.write("\n".join(lines) + "\n")
