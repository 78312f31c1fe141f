/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Plain-VM stand-in for what the TDX module does for free: start every AP at the shim's reset
 * code with its own vCPU index (INIT-SIPI-SIPI through the xAPIC, SIPI vector 0xFF = the legacy
 * alias of the reset page). The APs then take the same 32-bit TD entry path as in a TD and park.
 */
#ifndef TDSHIM_SHIM_AP_H
#define TDSHIM_SHIM_AP_H

#include <stdint.h>

#include "tdshim/status.h"

/* [0] = last vCPU index handed out by the AP 16-bit entry, [1] = APs parked (reset.nasm). */
extern volatile uint32_t shim_ap_counters[2];

/*
 * Send INIT-SIPI-SIPI to all other CPUs and wait (bounded) until `expected` APs have parked.
 * TDS_ERR_UNSUPPORTED in x2APIC mode, TDS_ERR_BUSY if the IPI never left or APs are missing
 * (arrived says how many came).
 */
TDS_MUST_USE tds_status shim_ap_start_all(uint32_t expected, uint32_t *arrived);

#endif
