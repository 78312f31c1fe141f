/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libtdhob private helpers (not installed). */
#ifndef LIBTDHOB_INTERNAL_H
#define LIBTDHOB_INTERNAL_H

#include "tdshim/tdhob.h"

/* Internal to the library: hidden, so that the shipped archive localises it (docs/symbols.md). */
#pragma GCC visibility push(hidden)

#define TDHOB_VIEW_MAGIC 0x54484F42u /* "THOB" */
#define TDHOB_PAGE 0x1000u
#define TDHOB_IO_LIMIT 0x10000u

/* Index into tdhob_view.count for a HOB type; -1 for types that are never accepted. */
static inline int tdhob_slot(uint16_t type)
{
    if (type == TDHOB_TYPE_END_OF_HOB_LIST) {
        return 15;
    }
    if (type <= TDHOB_TYPE_FV3) {
        return (int)type;
    }
    return -1;
}

static inline bool tdhob_view_ok(const tdhob_view *v)
{
    return v != NULL && v->magic == TDHOB_VIEW_MAGIC && v->hob.ptr != NULL && v->hob.len >= 64u &&
           (v->ranges != NULL || v->range_count == 0) && v->mem_count <= v->range_count;
}

static inline void tdhob_read_guid(const uint8_t *p, tds_guid *g)
{
    memcpy(g->b, p, sizeof g->b);
}

/* Decode the (already validated) HOB at `off`. Bounds are still checked through a cursor. */
TDS_MUST_USE tds_status tdhob_decode_at(tds_bytes hob, size_t off, tdhob_item *out);

/* Is the resource type an I/O-space type (2, 6)? */
static inline bool tdhob_is_io_type(uint32_t t)
{
    return t == TDHOB_RES_IO || t == TDHOB_RES_IO_RESERVED;
}

/* Scratch entry tag: the resource's ordinal among the resource descriptors (list order) above
 * 3 bits of ResourceType (0..7). The ordinal is below hob.len / 48 < 2^59: no bit is lost. */
#define TDHOB_TAG_TYPE_BITS 3u
#define TDHOB_TAG_TYPE_MASK 7u

static inline uint64_t tdhob_tag_make(size_t ordinal, uint32_t type)
{
    return ((uint64_t)ordinal << TDHOB_TAG_TYPE_BITS) | (uint64_t)(type & TDHOB_TAG_TYPE_MASK);
}

static inline uint32_t tdhob_tag_type(uint64_t tag)
{
    return (uint32_t)(tag & TDHOB_TAG_TYPE_MASK);
}

static inline uint64_t tdhob_tag_ordinal(uint64_t tag)
{
    return tag >> TDHOB_TAG_TYPE_BITS;
}

/* Sort e[0..n) in place (iterative heapsort: O(n log n) worst case, O(1) extra space, no
 * recursion) by (memory space before I/O space, start, ordinal). Keys are unique (ordinals). */
void tdhob_sort_ranges(tdhob_scratch_entry *e, size_t n);

/* On sorted e[0..n): the smallest ordinal k such that resources 0..k (list order) hold two
 * overlapping ranges of the same space; false when none overlap. O(n log n). */
TDS_MUST_USE bool tdhob_first_overlap(const tdhob_scratch_entry *e, size_t n, uint64_t *ordinal);

/*
 * Benchmark seam: tests/tdhob/bench_tdhob.c compiles the library sources once more with
 * TDHOB_BENCH_COUNT defined (and defines the counter) to count key comparisons. The library
 * itself is never built with it: no mutable global exists there.
 */
#if defined(TDHOB_BENCH_COUNT)
extern uint64_t tdhob_bench_comparisons;
#define TDHOB_COUNT_COMPARISON() (tdhob_bench_comparisons++)
#else
#define TDHOB_COUNT_COMPARISON() ((void)0)
#endif

#pragma GCC visibility pop

#endif
