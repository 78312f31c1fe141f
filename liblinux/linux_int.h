/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* liblinux internals shared by its source files (not installed). */
#ifndef TDSHIM_LIBLINUX_INT_H
#define TDSHIM_LIBLINUX_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdshim/linux_boot.h"

/* Internal to the library: hidden, so that the shipped archive localises it (docs/symbols.md). */
#pragma GCC visibility push(hidden)

/* Record a refusal in *err and return its status. */
tds_status lnx_fail(lnx_error *err, lnx_reason r, uint64_t offset);
/* Record success. */
tds_status lnx_ok(lnx_error *err);

/* A non-empty range [addr, addr + size), size > 0 and addr + size - 1 <= UINT64_MAX. */
typedef struct lnx_range {
    uint64_t addr;
    uint64_t size;
} lnx_range;

static inline uint64_t lnx_range_last(lnx_range r)
{
    return r.addr + (r.size - 1); /* callers keep size > 0 and no wrap */
}

/*
 * Validate the caller's map: count in [1, LNX_E820_MAX_ENTRIES], each entry non-empty, not
 * wrapping, of type 1..4, ascending and not overlapping its predecessor.
 */
tds_status lnx_map_check(const lnx_e820_entry *map, size_t count, lnx_error *err);

/* Is [r.addr, last] inside one run of adjacent RAM entries? (map already checked) */
bool lnx_map_is_ram(const lnx_e820_entry *map, size_t count, lnx_range r);

/* Bytes of the SETUP_E820_EXT node for a map of `count` entries (0 when count <= 128). */
uint64_t lnx_ext_node_size(size_t count);

/* Is this plan consistent with the header and the (checked) map? Shared by planner and builder. */
tds_status lnx_plan_check(const lnx_header *h, const lnx_e820_entry *map, size_t count,
                          const lnx_plan *p, lnx_error *err);

/* Is the header struct internally sane (hdr_end in range, sizes non-zero)? */
bool lnx_header_sane(const lnx_header *h);

#pragma GCC visibility pop

#endif /* TDSHIM_LIBLINUX_INT_H */
