/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The TD HOB, step 4 of the boot flow: found through the shim's own (measured) metadata TD_HOB
 * section, never through the VMM's RCX; copied once into the shim's memory (no double fetch);
 * measured into RTMR0 before anything parses it; validated by libtdhob; its claims about
 * accepted memory checked against the shim's own metadata; then only the checked view is used.
 */
#ifndef TDSHIM_SHIM_HOB_H
#define TDSHIM_SHIM_HOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdshim/status.h"
#include "tdshim/tdhob.h"
#include "tdshim/tdvf.h"

#define SHIM_HOB_MAX 0x20000u /* the largest TD_HOB section the shim takes (its copy buffer) */

/*
 * Take the HOB from [gpa, gpa+size) (the TD_HOB section of `meta`): copy it, measure it (event
 * "td_hob", RTMR0: tdhob_measured_length's bytes of the copy), validate it (GPAW from
 * TDG.VP.INFO), and check that every range it reports as already accepted lies inside a section
 * of the shim's own metadata that the VMM adds to the TD (TDH.MEM.PAGE.ADD: every section without
 * the PAGE.AUG attribute): the VMM cannot have added memory anywhere else, so any other "accepted"
 * RAM is a lie about memory nobody accepted. Every failure goes to the fatal path: 0x4003 section
 * larger than SHIM_HOB_MAX, 0x4001 invalid (libtdhob's reason logged), 0x4004 accepted RAM
 * outside the added sections, 0x4002 more than SHIM_HOB_MAP_MAX ranges. shim_measure_init must
 * have run.
 */
void shim_hob_take(uint64_t gpa, uint64_t size, uint32_t gpaw, const tdvf_meta *meta);

/* The most memory-map ranges the shim handles (more: fatal 0x4002, never cut). */
#define SHIM_HOB_MAP_MAX 32u

/* The unaccepted RAM ranges of the validated HOB (address order) into out[0..*n). NOT_FOUND if no
 * HOB was taken, NO_SPACE if cap is too small. */
TDS_MUST_USE tds_status shim_hob_unaccepted(uint64_t *base, uint64_t *len, size_t cap, size_t *n);

/* The checked view of the taken HOB (its bytes are the shim's private copy), or NULL. */
const tdhob_view *shim_hob_checked(void);

/*
 * Pure and host-tested: is every ACCEPTED range of map[0..n) inside the union of the memory of
 * the sections of `meta` that the VMM adds (type BFV, CFV, TD_HOB, TempMem, PermMem, Payload or
 * PayloadParam, without TDVF_ATTR_PAGE_AUG)? On false, *bad_base / *bad_end give the first
 * offending byte range.
 */
bool shim_hob_accepted_in_sections(const tdhob_mem_range *map, size_t n, const tdvf_meta *meta,
                                   uint64_t *bad_base, uint64_t *bad_end);

#endif
