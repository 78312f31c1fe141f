/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The TD HOB, step 4 of the boot flow: found through the shim's own (measured) metadata TD_HOB
 * section, never through the VMM's RCX; copied into the shim's memory before it is read (no
 * double fetch); validated once by libtdhob; then only the checked view is used. Built when the
 * build has libtdhob (SHIM_HAVE_TDHOB); measuring into RTMR0 waits for librtmr.
 */
#ifndef TDSHIM_SHIM_HOB_H
#define TDSHIM_SHIM_HOB_H

#include <stdbool.h>
#include <stdint.h>

#include "tdshim/status.h"

#define SHIM_HOB_MAX 0x20000u /* the default TD_HOB section size */

/*
 * Take the HOB from [gpa, gpa+size) (the TD_HOB section). `optional`: a section that starts with
 * 8 zero bytes holds no HOB (plain VM without one) -> TDS_ERR_NOT_FOUND. Any other failure goes
 * to the fatal path with libtdhob's reason.
 */
TDS_MUST_USE tds_status shim_hob_take(uint64_t gpa, uint64_t size, uint32_t gpaw, bool optional);

#endif
