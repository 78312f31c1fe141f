/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The E820 map the shim hands to the payload (docs/handoff.md §4): built from the validated TD
 * HOB's memory map, then overlaid with what the shim keeps (its RAM, the event log, the OS
 * mailbox, the ACPI area, the payload region) and with what the acceptance policy left
 * unaccepted. Pure code over caller-owned storage (host-tested: tests/shim/test_e820.c).
 */
#ifndef TDSHIM_SHIM_E820_H
#define TDSHIM_SHIM_E820_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdshim/base.h"
#include "tdshim/tdhob.h"

#define SHIM_E820_MAX 128u /* docs/handoff.md §4; the boot_params table has the same size */

/* Entries sorted by address, non-overlapping, non-empty; adjacent entries of one type merged. */
typedef struct shim_e820 {
    tdhob_e820_entry e[SHIM_E820_MAX];
    size_t n;
} shim_e820;

void shim_e820_init(shim_e820 *m);

/*
 * Give [base, base+len) the E820 type `type` (1..0xFFFFFFFF): parts of existing entries inside
 * the range are replaced, parts outside are kept, a hole is filled. Then adjacent entries of the
 * same type are merged. Errors (the map is unchanged): TDS_ERR_INVALID_ARG (len 0, type 0),
 * TDS_ERR_OVERFLOW (the range wraps), TDS_ERR_NO_SPACE (more than SHIM_E820_MAX entries).
 */
TDS_MUST_USE tds_status shim_e820_set(shim_e820 *m, uint64_t base, uint64_t len, uint32_t type);

/* True if [base, base+len) lies entirely inside entries of type `type` (len 0: false). */
bool shim_e820_covers(const shim_e820 *m, uint64_t base, uint64_t len, uint32_t type);

/* End (exclusive) of the run of `type` entries that contains `addr`, or 0 if `addr` is not in
 * an entry of that type. Adjacent entries are merged, so this is the end of that one entry. */
uint64_t shim_e820_run_end(const shim_e820 *m, uint64_t addr, uint32_t type);

/*
 * Firmware allocations from the map: the highest `align`-aligned block of `size` bytes that lies
 * inside one RAM (type 1) entry and ends at or below `below`; it becomes type `type` (2, 3, 4: what
 * the OS must keep) in the map. *addr gets its base. TDS_ERR_NO_SPACE: no RAM entry has room;
 * TDS_ERR_INVALID_ARG: size 0, align not a power of two, type 1 or 0; the map's entry limit as
 * shim_e820_set. The map is unchanged on any error.
 */
TDS_MUST_USE tds_status shim_e820_alloc(shim_e820 *m, uint64_t size, uint64_t align, uint64_t below,
                                        uint32_t type, uint64_t *addr);

/* Sum of the lengths of the entries of `type`. */
uint64_t shim_e820_bytes(const shim_e820 *m, uint32_t type);

#endif
