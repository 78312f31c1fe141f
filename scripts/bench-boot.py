#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause-Patent
"""Boot-time benchmark: the shim against qboot, SeaBIOS and OVMF booting the same Linux.

usage: bench-boot.sh [--runs N] [--config SMP:MEM ...] [--firmware NAME ...] [--build DIR]
                     [--kernel FILE] [--initrd FILE] [--qemu PATH]

Every firmware boots the same kernel and initramfs from fw_cfg (-kernel/-initrd/-append) with
the same QEMU arguments (q35, TCG, -cpu max,phys-bits=48, -smp, -m), changing only the firmware:
  shim-plain  the production image on a plain VM;
  shim-td     the test image through the TD entry with the emulated TDX module (tests/e2e/
              run-qemu.sh adds what that needs: the BFV overlay and the shared-alias ivshmem
              devices, file-backed RAM, the TD HOB from tdshim-hob), every byte accepted and the
              ACPI files, kernel, initrd and command line measured;
  qboot       /usr/share/qemu/qboot.rom (Debian's QEMU);
  seabios     QEMU's default BIOS (with its linuxboot_dma option ROM);
  ovmf        /usr/share/ovmf/OVMF.fd.
One warm-up round is discarded, then the runs are interleaved (one boot of each firmware in turn,
N rounds) so that load on the machine hits every firmware alike. The console is read line by
line and two moments are taken from QEMU's start: the kernel's "Linux version" banner
(loglevel=6 prints it) and the initramfs's "tdinit: userspace"; QEMU's exit (ACPI power-off from
/init) must follow. The table gives the median and the range (min..max) of each, and the ratio of
each firmware's median to qboot's, measured in the same run. Defaults: 10 runs, 1:512M and 4:2G,
every firmware whose file exists, the debug build, the kernel from scripts/setup.sh's cache and
the initramfs the test build makes.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.environ.get("TDSHIM_CACHE") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "tdshim")
FIRMWARES = ["shim-plain", "shim-td", "qboot", "seabios", "ovmf"]
FILES = {"qboot": "/usr/share/qemu/qboot.rom", "ovmf": "/usr/share/ovmf/OVMF.fd"}
MARKS = ("Linux version", "tdinit: userspace")
CMDLINE = "console=ttyS0 loglevel=6 panic=-1 tdshim.test=1"
TIMEOUT = 180


def command(fw, a, smp, mem, hob):
    """The QEMU command line (and environment) for one boot."""
    common = ["-accel", "tcg", "-machine", "q35", "-cpu", "max,phys-bits=48", "-m", mem,
              "-smp", str(smp), "-nodefaults", "-display", "none", "-serial", "stdio",
              "-no-reboot", "-kernel", a.kernel, "-initrd", a.initrd, "-append", CMDLINE]
    env = dict(os.environ)
    if fw == "shim-td":
        env.update(TDSHIM_SMP=str(smp), TDSHIM_MEM=mem, TDSHIM_HOB=hob, TDSHIM_SHARED_ALIAS="separate")
        return [os.path.join(ROOT, "tests", "e2e", "run-qemu.sh"), a.qemu,
                os.path.join(a.build, "tdshim-test.img"), str(TIMEOUT), "-kernel", a.kernel,
                "-initrd", a.initrd, "-append", CMDLINE], env
    bios = {"shim-plain": os.path.join(a.build, "tdshim.img")}.get(fw, FILES.get(fw))
    return [a.qemu] + common + (["-bios", bios] if bios else []), env


def boot(cmd, env):
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL)
    seen = {}
    for raw in p.stdout:
        line = raw.decode("utf-8", "replace")
        now = time.monotonic()
        for m in MARKS:
            if m not in seen and m in line:
                seen[m] = now - t0
        if now - t0 > TIMEOUT:
            p.kill()
            break
    rc = p.wait()
    if rc != 0 or len(seen) != len(MARKS):
        return None
    return [seen[m] for m in MARKS]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--config", action="append", help="SMP:MEM, e.g. 4:2G")
    ap.add_argument("--firmware", action="append", choices=FIRMWARES)
    ap.add_argument("--build", default=os.path.join(ROOT, "build", "debug"))
    ap.add_argument("--kernel", default=os.path.join(CACHE, "linux", "vmlinuz"))
    ap.add_argument("--initrd")
    ap.add_argument("--qemu", default="qemu-system-x86_64")
    a = ap.parse_args()
    a.initrd = a.initrd or os.path.join(a.build, "tests", "linux-boot", "initramfs.cpio.gz")
    configs = a.config or ["1:512M", "4:2G"]
    names = a.firmware or [n for n in FIRMWARES if n not in FILES or os.path.exists(FILES[n])]
    hobtool = os.path.join(a.build, "tools", "tdshim-hob", "tdshim-hob")
    for f in (a.kernel, a.initrd, os.path.join(a.build, "tdshim.img"),
              os.path.join(a.build, "tdshim-test.img"), hobtool):
        if not os.path.exists(f):
            sys.exit(f"bench-boot: {f} missing (scripts/setup.sh, then the debug build)")
    if "qboot" not in names:
        sys.exit("bench-boot: the ratios are to qboot: keep it in --firmware")
    vf = os.path.join(CACHE, "linux", "VERSION")
    kver = open(vf).read().strip() if os.path.exists(vf) else a.kernel
    print(f"bench-boot: {a.runs} interleaved runs per firmware after one warm-up, QEMU TCG q35 "
          f"-cpu max,phys-bits=48, kernel {kver}, cmdline '{CMDLINE}', {os.cpu_count()} host CPUs")
    vmm = open(os.path.join(ROOT, "tests", "e2e", "test-vmm-hob.args")).read().split()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for cfg in configs:
            smp, mem = cfg.split(":")
            hob = os.path.join(tmp, f"hob-{mem}.bin")
            subprocess.run([hobtool, "gen", "--mem", mem] + vmm + ["-o", hob], check=True,
                           stdout=subprocess.DEVNULL)
            times = {n: [] for n in names}
            for r in range(a.runs + 1):
                for n in names:
                    t = boot(*command(n, a, smp, mem, hob))
                    if t is None:
                        print(f"bench-boot: {n} {cfg} run {r}: did not boot to power-off")
                        failed = True
                    elif r > 0:  # round 0 is the warm-up
                        times[n].append(t)
            print(f"\n{smp} vCPU, {mem}: median seconds from QEMU start (min..max), ratio to qboot")
            print(f"{'firmware':11} {'runs':>4}  {'Linux version':>26}  {'userspace':>26}")
            base = [statistics.median(c) for c in zip(*times["qboot"])] if times["qboot"] else None
            for n in names:
                if not times[n]:
                    print(f"{n:11} {0:>4}  (no successful boot)")
                    continue
                cols = []
                for i, c in enumerate(zip(*times[n])):
                    med = statistics.median(c)
                    ratio = f"x{med / base[i]:.2f}" if base else ""
                    cols.append(f"{med:5.2f} ({min(c):5.2f}..{max(c):5.2f}) {ratio:>5}")
                print(f"{n:11} {len(times[n]):>4}  " + "  ".join(f"{c:>26}" for c in cols))
    sys.exit(1 if failed else 0)


main()
