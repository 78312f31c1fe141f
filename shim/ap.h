/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Plain-VM stand-in for what the TDX module does for free: start every AP at the shim's reset
 * code with its own vCPU index (INIT-SIPI-SIPI through the xAPIC, SIPI vector 0xFF = the legacy
 * alias of the reset page). The APs then take the same 32-bit TD entry path as in a TD and park.
 */
#ifndef TDSHIM_SHIM_AP_H
#define TDSHIM_SHIM_AP_H

#include <stdint.h>

#include "tdshim/mailbox_fw.h"
#include "tdshim/status.h"

/* vCPUs the shim has AP stacks and mailbox slots for (entry64.nasm has the same numbers). */
#define SHIM_MAX_VCPUS 8u
#define SHIM_AP_STACK_SIZE 0x2000u

/* [0] = last vCPU index handed out by the AP 16-bit entry, [1] = APs that reached the 32-bit TD
 * entry, [2] = CR3 the BSP publishes to let them into long mode (reset.nasm; .noinit). */
extern volatile uint32_t shim_ap_counters[8];

/*
 * Send INIT-SIPI-SIPI to all other CPUs and wait (bounded) until `expected` APs have parked.
 * TDS_ERR_UNSUPPORTED in x2APIC mode, TDS_ERR_BUSY if the IPI never left or APs are missing
 * (arrived says how many came).
 */
TDS_MUST_USE tds_status shim_ap_start_all(uint32_t expected, uint32_t *arrived);

/*
 * Let the APs (cpus - 1 of them, cpus <= SHIM_MAX_VCPUS) into long mode on the current page tables
 * and wait (bounded) until each has parked in libmailbox's firmware loop. *parked gets the count.
 * On success the returned mailbox context can dispatch work (mbox_fw_run).
 */
TDS_MUST_USE tds_status shim_ap_release(uint32_t cpus, uint32_t *parked, mbox_fw **fw);

/* AP C entry (entry64.nasm, on its own stack): park in the mailbox loop; never returns. */
TDS_NORETURN void shim_ap_main(uint32_t index);

#endif
