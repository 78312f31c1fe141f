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
  # The log area the CCEL table points to (Linux exposes it as tables/data/CCEL), as offset + hex
  # lines; od folds runs of identical lines (the 0xFF fill) into "*".
  if [ -e /sys/firmware/acpi/tables/data/CCEL ]; then
    $B od -Ax -tx1 -w64 /sys/firmware/acpi/tables/data/CCEL | $B sed 's/^/tdinit: log /'
  else
    echo "tdinit: no tables/data/CCEL"
  fi
fi
echo "tdinit: poweroff"
$B poweroff -f
