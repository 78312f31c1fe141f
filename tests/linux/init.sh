#!/bin/busybox sh
# SPDX-License-Identifier: BSD-2-Clause-Patent
# /init of the test initramfs (tests/linux/mkinitramfs.py): report what the kernel found, dump the
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
  if [ -e /sys/firmware/acpi/tables/data/CCEL ]; then
    $B od -An -v -tx1 -w64 /sys/firmware/acpi/tables/data/CCEL | $B tr -d ' ' |
      $B awk '{ printf "tdinit: log %s\n", $0 }'
  fi
fi
echo "tdinit: poweroff"
$B poweroff -f
