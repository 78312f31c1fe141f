/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Byte slices (safe-C rule 3, docs/safe-c.md): bytes travel as {ptr, len}. A slice with len > 0 has
 * a non-NULL ptr. Sub-slicing is checked; a failed call leaves the output untouched.
 */
#ifndef TDSHIM_SLICE_H
#define TDSHIM_SLICE_H

/*
 * Thread safety: slices are values that borrow caller memory; the functions only read them (and
 * the sub-slice outputs the caller passes), so they are safe from any thread while the borrowed
 * bytes do not change.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdshim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tds_bytes {
    const uint8_t *ptr;
    size_t len;
} tds_bytes;

typedef struct tds_mut_bytes {
    uint8_t *ptr;
    size_t len;
} tds_mut_bytes;

static inline tds_bytes tds_bytes_make(const void *ptr, size_t len)
{
    tds_bytes b = {(const uint8_t *)ptr, len};
    return b;
}

static inline tds_mut_bytes tds_mut_bytes_make(void *ptr, size_t len)
{
    tds_mut_bytes b = {(uint8_t *)ptr, len};
    return b;
}

static inline tds_bytes tds_bytes_const(tds_mut_bytes m)
{
    tds_bytes b = {m.ptr, m.len};
    return b;
}

/* A well-formed slice: NULL only when empty, and ptr+len does not wrap. */
static inline bool tds_bytes_valid(tds_bytes b)
{
    if (b.len == 0) {
        return true;
    }
    return b.ptr != NULL && (uintptr_t)b.ptr <= UINTPTR_MAX - (b.len - 1);
}

/* out = s[off .. off+len). */
TDS_MUST_USE static inline tds_status tds_bytes_sub(tds_bytes s, size_t off, size_t len,
                                                    tds_bytes *out)
{
    if (off > s.len || len > s.len - off) {
        return TDS_ERR_OUT_OF_BOUNDS;
    }
    out->ptr = (len == 0) ? s.ptr : s.ptr + off;
    out->len = len;
    return TDS_OK;
}

TDS_MUST_USE static inline tds_status tds_mut_bytes_sub(tds_mut_bytes s, size_t off, size_t len,
                                                        tds_mut_bytes *out)
{
    if (off > s.len || len > s.len - off) {
        return TDS_ERR_OUT_OF_BOUNDS;
    }
    out->ptr = (len == 0) ? s.ptr : s.ptr + off;
    out->len = len;
    return TDS_OK;
}

#ifdef __cplusplus
}
#endif

#endif /* TDSHIM_SLICE_H */
