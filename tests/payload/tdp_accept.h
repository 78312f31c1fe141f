/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Is all memory the payload HOB calls RAM really accepted, and is the memory it calls unaccepted
 * really not? Asked of the TDX module through ops (the payload wires libtdcall; host tests wire
 * libtdcall's emulator):
 *  - every byte of every E820 type-1 entry: TDG.MEM.PAGE.ACCEPT must answer "already accepted"
 *    (TDS_ERR_STATE from tdcall_mem_page_accept). 2 MiB accepts where the address is 2 MiB
 *    aligned and 2 MiB remain, 4 KiB at the edges; any other 2 MiB answer than "already accepted"
 *    or success (SIZE_MISMATCH for a 4 KiB mapping, or an error for a block the module does not
 *    map as one page) is re-asked as 512 4 KiB accepts, whose answers decide. An answer of
 *    success means the page WAS pending (the payload just accepted it): counted as not accepted.
 *  - E820 type-8 entries: their first, middle and last 4 KiB pages must read pending with
 *    TDG.MEM.PAGE.ATTR.RD (which changes nothing).
 */
#ifndef TDP_ACCEPT_H
#define TDP_ACCEPT_H

#include "tdp_line.h"
#include "tdshim/base.h"
#include "tdshim/tdhob.h"

typedef struct tdp_accept_ops {
    void *ctx;
    /* TDG.MEM.PAGE.ACCEPT at 4 KiB or 2 MiB: libtdcall's statuses. */
    tds_status (*accept)(void *ctx, uint64_t gpa, bool level_2m);
    /* TDG.MEM.PAGE.ATTR.RD: *pending on TDS_OK. */
    tds_status (*pending)(void *ctx, uint64_t gpa, bool *pending);
} tdp_accept_ops;

typedef struct tdp_accept_stats {
    uint64_t ram_bytes;        /* type-1 bytes checked */
    uint64_t calls_2m;         /* 2 MiB accepts issued */
    uint64_t calls_4k;         /* 4 KiB accepts issued */
    uint64_t split_2m;         /* 2 MiB blocks re-asked as 4 KiB (SIZE_MISMATCH) */
    uint64_t not_accepted;     /* bytes the module accepted now: they were pending */
    uint64_t first_bad;        /* GPA of the first such page or of the first error */
    uint64_t unaccepted_bytes; /* type-8 bytes */
    uint32_t samples;          /* type-8 pages sampled */
    uint32_t samples_pending;  /* of which pending */
} tdp_accept_stats;

/*
 * Check the E820 as above; print "accept ram ..." and "accept unaccepted ..." lines. Returns
 * TDS_OK, TDS_ERR_MISMATCH (a RAM page was pending or a type-8 sample was not), ALIGNMENT (an
 * entry not 4 KiB aligned) or the ops' error (the first one; the check stops there). *stats is
 * always written (what was checked up to the stop).
 */
TDS_MUST_USE tds_status tdp_accept_check(const struct tdp_sink *sink, const tdhob_e820_entry *e,
                                         size_t n, const tdp_accept_ops *ops,
                                         tdp_accept_stats *stats);

#endif /* TDP_ACCEPT_H */
