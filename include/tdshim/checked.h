/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Checked arithmetic (safe-C rule 4, docs/safe-c.md). Every untrusted number goes through these.
 * Results are written only on success. Address-space wrap is reported as TDS_ERR_OVERFLOW.
 */
#ifndef TDSHIM_CHECKED_H
#define TDSHIM_CHECKED_H

/*
 * Thread safety: pure functions of their arguments (results through caller pointers); safe from
 * any thread.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdshim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

TDS_MUST_USE static inline tds_status tds_add_u64(uint64_t a, uint64_t b, uint64_t *out)
{
    uint64_t r;
    if (__builtin_add_overflow(a, b, &r)) {
        return TDS_ERR_OVERFLOW;
    }
    *out = r;
    return TDS_OK;
}

TDS_MUST_USE static inline tds_status tds_sub_u64(uint64_t a, uint64_t b, uint64_t *out)
{
    uint64_t r;
    if (__builtin_sub_overflow(a, b, &r)) {
        return TDS_ERR_OVERFLOW;
    }
    *out = r;
    return TDS_OK;
}

TDS_MUST_USE static inline tds_status tds_mul_u64(uint64_t a, uint64_t b, uint64_t *out)
{
    uint64_t r;
    if (__builtin_mul_overflow(a, b, &r)) {
        return TDS_ERR_OVERFLOW;
    }
    *out = r;
    return TDS_OK;
}

TDS_MUST_USE static inline tds_status tds_add_size(size_t a, size_t b, size_t *out)
{
    size_t r;
    if (__builtin_add_overflow(a, b, &r)) {
        return TDS_ERR_OVERFLOW;
    }
    *out = r;
    return TDS_OK;
}

TDS_MUST_USE static inline tds_status tds_mul_size(size_t a, size_t b, size_t *out)
{
    size_t r;
    if (__builtin_mul_overflow(a, b, &r)) {
        return TDS_ERR_OVERFLOW;
    }
    *out = r;
    return TDS_OK;
}

/* Narrowing with a check: u64 -> size_t (matters on 32-bit hosts and for lengths from the VMM). */
TDS_MUST_USE static inline tds_status tds_u64_to_size(uint64_t v, size_t *out)
{
    if (v > (uint64_t)SIZE_MAX) {
        return TDS_ERR_OVERFLOW;
    }
    *out = (size_t)v;
    return TDS_OK;
}

static inline bool tds_is_pow2_u64(uint64_t v)
{
    return v != 0 && (v & (v - 1)) == 0;
}

/* True when v is a multiple of align; align MUST be a power of two (false otherwise). */
static inline bool tds_is_aligned_u64(uint64_t v, uint64_t align)
{
    return tds_is_pow2_u64(align) && (v & (align - 1)) == 0;
}

/* Round v up to a multiple of align (a power of two). Fails on a bad align or on overflow. */
TDS_MUST_USE static inline tds_status tds_align_up_u64(uint64_t v, uint64_t align, uint64_t *out)
{
    if (!tds_is_pow2_u64(align)) {
        return TDS_ERR_INVALID_ARG;
    }
    uint64_t r;
    if (__builtin_add_overflow(v, align - 1, &r)) {
        return TDS_ERR_OVERFLOW;
    }
    *out = r & ~(align - 1);
    return TDS_OK;
}

/* Round v down to a multiple of align (a power of two). */
TDS_MUST_USE static inline tds_status tds_align_down_u64(uint64_t v, uint64_t align, uint64_t *out)
{
    if (!tds_is_pow2_u64(align)) {
        return TDS_ERR_INVALID_ARG;
    }
    *out = v & ~(align - 1);
    return TDS_OK;
}

TDS_MUST_USE static inline tds_status tds_align_up_size(size_t v, size_t align, size_t *out)
{
    uint64_t r;
    TDS_TRY(tds_align_up_u64((uint64_t)v, (uint64_t)align, &r));
    return tds_u64_to_size(r, out);
}

/*
 * Exclusive end of the range [base, base+len). A range that would wrap past 2^64 is an error,
 * including the range that ends exactly at 2^64 (its end is not representable): callers that
 * must describe the very top page use tds_range_last().
 */
TDS_MUST_USE static inline tds_status tds_range_end(uint64_t base, uint64_t len, uint64_t *end)
{
    return tds_add_u64(base, len, end);
}

/* Inclusive last address of a non-empty range; works for ranges ending at 2^64. */
TDS_MUST_USE static inline tds_status tds_range_last(uint64_t base, uint64_t len, uint64_t *last)
{
    if (len == 0) {
        return TDS_ERR_INVALID_ARG;
    }
    uint64_t r;
    if (__builtin_add_overflow(base, len - 1, &r)) {
        return TDS_ERR_OVERFLOW;
    }
    *last = r;
    return TDS_OK;
}

/* Do the non-empty ranges [a, a+alen) and [b, b+blen) overlap? Both MUST have been checked. */
static inline bool tds_ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    if (alen == 0 || blen == 0) {
        return false;
    }
    /* Compare inclusive last addresses so ranges touching 2^64 work. */
    uint64_t alast = a + (alen - 1);
    uint64_t blast = b + (blen - 1);
    return a <= blast && b <= alast;
}

/* Is [inner, inner+ilen) inside [outer, outer+olen)? Empty inner ranges are inside iff in bounds.
 */
static inline bool tds_range_contains(uint64_t outer, uint64_t olen, uint64_t inner, uint64_t ilen)
{
    if (inner < outer) {
        return false;
    }
    uint64_t off = inner - outer;
    return off <= olen && ilen <= olen - off;
}

#ifdef __cplusplus
}
#endif

#endif /* TDSHIM_CHECKED_H */
