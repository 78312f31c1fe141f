/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The TD HOB, step 4 of the boot flow: found through the shim's own (measured) metadata TD_HOB
 * section, never through the VMM's RCX; copied into the shim's memory before it is read (no
 * double fetch); validated once by libtdhob; measured into RTMR0; then only the checked view is
 * used. Built when the build has libtdhob (SHIM_HAVE_TDHOB); measuring needs librtmr.
 */
#ifndef TDSHIM_SHIM_HOB_H
#define TDSHIM_SHIM_HOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdshim/status.h"
#include "tdshim/tdhob.h"

#define SHIM_HOB_MAX 0x20000u /* the default TD_HOB section size */

/*
 * Take the HOB from [gpa, gpa+size) (the TD_HOB section). `optional`: a section that starts with
 * 8 zero bytes holds no HOB (plain VM without one) -> TDS_ERR_NOT_FOUND. Any other failure goes
 * to the fatal path with libtdhob's reason. `measure`: record the validated HOB list (PHIT .. END)
 * in the event log and RTMR0 (measure.h, event "td_hob") before the list is used (needs librtmr
 * and a TDX module or the emulator; a failed extend is fatal). shim_measure_init must have run.
 */
TDS_MUST_USE tds_status shim_hob_take(uint64_t gpa, uint64_t size, uint32_t gpaw, bool optional,
                                      bool measure);

/* The unaccepted RAM ranges of the validated HOB (address order) into out[0..*n). NOT_FOUND if no
 * HOB was taken, NO_SPACE if cap is too small. */
TDS_MUST_USE tds_status shim_hob_unaccepted(uint64_t *base, uint64_t *len, size_t cap, size_t *n);

/* The checked view of the taken HOB (its bytes are the shim's private copy), or NULL. */
const tdhob_view *shim_hob_checked(void);

#endif
