/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * QEMU's ACPI tables for the kernel (docs/linux-boot.md "ACPI"): fw_cfg etc/table-loader run by
 * libacpi into firmware allocations (E820 type 4, ACPI NVS, below 4 GiB, as OVMF allocates them),
 * checked against the chipset the shim programmed (the FADT's PM registers at PMBASE, the MCFG's
 * ECAM at PCIEXBAR), and in a TD edited the way a TD firmware must: the MADT gets the
 * Multiprocessor Wakeup structure (the OS mailbox the APs wait on) and a CCEL table points at the
 * event log. In a TD the script and every file it loads are measured into RTMR0, as downloaded
 * and before any is used (OVMF's "ACPI DATA" events).
 */
#ifndef TDSHIM_SHIM_ACPI_H
#define TDSHIM_SHIM_ACPI_H

#include <stdbool.h>
#include <stdint.h>

#include "e820.h"
#include "fwcfg.h"
#include "handoff.h"

/* What a TD changes (NULL on a plain VM). */
typedef struct shim_acpi_td {
    uint64_t mailbox;      /* MP Wakeup MailBoxAddress */
    uint64_t reset_vector; /* MP Wakeup ResetVector (mailbox version 1) */
} shim_acpi_td;

/*
 * Load the tables; allocations come from `map` (type 4 below 4 GiB; temporary buffers are given
 * back). Returns the RSDP's address for boot_params.acpi_rsdp_addr. The chipset must be set up
 * already (shim_q35_setup): QEMU builds the tables from it on the first read. Fatal on any error,
 * with libacpi's reason on the console.
 */
uint64_t shim_acpi_load(shim_fwcfg *fw, shim_e820 *map, const shim_acpi_td *td);

/*
 * A TD without fw_cfg (a kernel from a VMM-placed region): build the minimum itself, a revision-2
 * RSDP, an XSDT, the MADT with the MP wakeup structure (shim_handoff_madt) and the CCEL table, in
 * one ACPI NVS allocation from `map` below 4 GiB, checked with acpi_tables_open. Nothing in them
 * comes from the VMM, so nothing is measured. Returns the RSDP's address. Fatal (0x8105).
 */
uint64_t shim_acpi_build_td(shim_e820 *map, const shim_handoff_in *h);

#endif
