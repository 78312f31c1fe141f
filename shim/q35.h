/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The q35 chipset state the ACPI tables describe (QEMU hw/i386/acpi-build.c builds the tables from
 * it when the firmware first selects the table blob, so it is programmed before the tables are
 * read): the ICH9 LPC's power-management base and ACPI enable (D31:F0 PMBASE 0x40, ACPI_CNTL
 * 0x44 bit 7; the FADT's PM1a_CNT is PMBASE + 4, which Linux writes to power off) and the MCH's
 * PCIe ECAM window (D0:F0 PCIEXBAR 0x60; the MCFG table describes it). Values as SeaBIOS and qboot
 * choose them: PMBASE 0x600, ECAM at 0xB0000000 for 256 buses.
 */
#ifndef TDSHIM_SHIM_Q35_H
#define TDSHIM_SHIM_Q35_H

#include <stdint.h>

#include "pio.h"
#include "tdshim/status.h"

#define SHIM_Q35_PMBASE 0x600u
#define SHIM_Q35_PM1A_CNT (SHIM_Q35_PMBASE + 4u)
#define SHIM_Q35_ECAM_BASE 0xB0000000u
#define SHIM_Q35_ECAM_SIZE 0x10000000u

/* Check the chipset (MCH 8086:29C0 at 00:00.0, ICH9 LPC 8086:2918 at 00:1F.0) and program it.
 * TDS_ERR_UNSUPPORTED: not a q35 machine; TDS_ERR_DEVICE: a register did not take the value. */
TDS_MUST_USE tds_status shim_q35_setup(shim_pio mode);

#endif
