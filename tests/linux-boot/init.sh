#!/bin/busybox sh
# SPDX-License-Identifier: BSD-2-Clause-Patent
# /init of the test initramfs (tests/linux-boot/mkinitramfs.py): report what the kernel found, dump the
# CC event log the CCEL table points to (when there is one), and power off through ACPI.
B=/bin/busybox
$B mount -t proc proc /proc
$B mount -t sysfs sysfs /sys
$B mount -t devtmpfs devtmpfs /dev
echo "tdinit: userspace"
echo "tdinit: cmdline=$($B cat /proc/cmdline)"
echo "tdinit: cpus=$($B grep -c '^processor' /proc/cpuinfo)"
echo "tdinit: $($B grep MemTotal /proc/meminfo | $B tr -s ' ')"
echo "tdinit: acpi tables: $($B ls /sys/firmware/acpi/tables | $B tr '\n' ' ')"
if [ -e /sys/firmware/acpi/tables/CCEL ]; then
  echo "tdinit: ccel $($B od -An -v -tx1 /sys/firmware/acpi/tables/CCEL | $B tr -d ' \n')"
  # The log area the CCEL table points to (LAML u64 at 40, LASA u64 at 48), as offset + hex lines;
  # od folds runs of identical lines (the 0xFF fill) into "*". Linux 6.2+ exposes it as
  # tables/data/CCEL when it has that file (6.1 does not); else through /dev/mem (the area is
  # ACPI NVS in the E820 map, not System RAM, so STRICT_DEVMEM lets it be read).
  if [ -e /sys/firmware/acpi/tables/data/CCEL ]; then
    $B od -Ax -tx1 -w64 /sys/firmware/acpi/tables/data/CCEL | $B sed 's/^/tdinit: log /'
  else
    laml=$($B od -An -tu8 -j40 -N8 /sys/firmware/acpi/tables/CCEL | $B tr -d ' ')
    lasa=$($B od -An -tu8 -j48 -N8 /sys/firmware/acpi/tables/CCEL | $B tr -d ' ')
    echo "tdinit: ccel area $lasa +$laml through /dev/mem"
    $B dd if=/dev/mem bs=4096 skip=$((lasa / 4096)) count=$((laml / 4096)) 2>/dev/null |
      $B od -Ax -tx1 -w64 | $B sed 's/^/tdinit: log /'
  fi
fi
echo "tdinit: poweroff"
$B poweroff -f
