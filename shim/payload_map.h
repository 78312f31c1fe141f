/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The payload's page permissions (docs/handoff.md §2): each loaded segment gets the permissions
 * its program header (ELF p_flags) or section (PE Characteristics) asks for, never write and
 * execute together. Pure and host-tested (tests/shim/test_payload_map.c); handoff.c applies the
 * result to the live page tables.
 */
#ifndef TDSHIM_SHIM_PAYLOAD_MAP_H
#define TDSHIM_SHIM_PAYLOAD_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "tdshim/loader.h"
#include "tdshim/status.h"

/* One run of 4 KiB pages with one set of page-table leaf flags (paging.h PT_*). */
typedef struct shim_page_run {
    uint64_t start; /* 4 KiB aligned */
    uint64_t len;   /* 4 KiB multiple, non-zero */
    uint64_t flags; /* PT_P, plus PT_RW for a writable segment, plus PT_NX unless executable */
} shim_page_run;

/*
 * One run per segment of `segs[0..n)` (the loader's result, address order), each segment's range
 * widened to whole pages, all inside [base, base + len). Errors (out and count are not written):
 * TDS_ERR_UNSUPPORTED a segment both writable and executable (W^X); TDS_ERR_MISMATCH two
 * segments with different permissions in one page; TDS_ERR_OUT_OF_BOUNDS a segment outside the
 * region or wrapping; TDS_ERR_NO_SPACE more segments than cap; TDS_ERR_INVALID_ARG NULL or a
 * base/len not page aligned. *bad (may be NULL) gets the index of the offending segment.
 */
TDS_MUST_USE tds_status shim_payload_page_runs(const ldr_segment *segs, size_t n, uint64_t base,
                                               uint64_t len, shim_page_run *out, size_t cap,
                                               size_t *count, size_t *bad);

#endif
