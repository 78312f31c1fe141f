/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Bounds-checked reader cursor and writer (safe-C rule 3, docs/safe-c.md). Parsers of untrusted
 * bytes read ONLY through tds_cursor: every take() checks what remains. Failed reads do not move
 * the cursor and do not write their out-parameter.
 */
#ifndef TDSHIM_CURSOR_H
#define TDSHIM_CURSOR_H

/*
 * Thread safety: a tds_cursor or tds_writer is state of one user: use each from one thread at a
 * time. Different cursors or writers (even over the same read-only bytes, for cursors) may be used
 * concurrently.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdshim/endian.h"
#include "tdshim/mem.h"
#include "tdshim/slice.h"
#include "tdshim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tds_cursor {
    tds_bytes buf;
    size_t pos; /* invariant: pos <= buf.len */
} tds_cursor;

static inline tds_cursor tds_cursor_make(tds_bytes buf)
{
    tds_cursor c = {buf, 0};
    return c;
}

static inline size_t tds_cursor_remaining(const tds_cursor *c)
{
    return c->buf.len - c->pos;
}
static inline size_t tds_cursor_pos(const tds_cursor *c)
{
    return c->pos;
}
static inline bool tds_cursor_at_end(const tds_cursor *c)
{
    return c->pos == c->buf.len;
}

/* Borrow the next n bytes as a slice and advance. */
TDS_MUST_USE static inline tds_status tds_cursor_take(tds_cursor *c, size_t n, tds_bytes *out)
{
    if (n > tds_cursor_remaining(c)) {
        return TDS_ERR_TRUNCATED;
    }
    out->ptr = c->buf.ptr + c->pos;
    out->len = n;
    c->pos += n;
    return TDS_OK;
}

TDS_MUST_USE static inline tds_status tds_cursor_skip(tds_cursor *c, size_t n)
{
    if (n > tds_cursor_remaining(c)) {
        return TDS_ERR_TRUNCATED;
    }
    c->pos += n;
    return TDS_OK;
}

/* Move to an absolute offset within the buffer (<= len). */
TDS_MUST_USE static inline tds_status tds_cursor_seek(tds_cursor *c, size_t pos)
{
    if (pos > c->buf.len) {
        return TDS_ERR_OUT_OF_BOUNDS;
    }
    c->pos = pos;
    return TDS_OK;
}

TDS_MUST_USE static inline tds_status tds_cursor_copy(tds_cursor *c, void *dst, size_t n)
{
    tds_bytes b;
    TDS_TRY(tds_cursor_take(c, n, &b));
    if (n != 0) {
        memcpy(dst, b.ptr, n);
    }
    return TDS_OK;
}

TDS_MUST_USE static inline tds_status tds_cursor_u8(tds_cursor *c, uint8_t *out)
{
    tds_bytes b;
    TDS_TRY(tds_cursor_take(c, 1, &b));
    *out = b.ptr[0];
    return TDS_OK;
}

TDS_MUST_USE static inline tds_status tds_cursor_le16(tds_cursor *c, uint16_t *out)
{
    tds_bytes b;
    TDS_TRY(tds_cursor_take(c, 2, &b));
    *out = tds_load_le16(b.ptr);
    return TDS_OK;
}

TDS_MUST_USE static inline tds_status tds_cursor_le32(tds_cursor *c, uint32_t *out)
{
    tds_bytes b;
    TDS_TRY(tds_cursor_take(c, 4, &b));
    *out = tds_load_le32(b.ptr);
    return TDS_OK;
}

TDS_MUST_USE static inline tds_status tds_cursor_le64(tds_cursor *c, uint64_t *out)
{
    tds_bytes b;
    TDS_TRY(tds_cursor_take(c, 8, &b));
    *out = tds_load_le64(b.ptr);
    return TDS_OK;
}

/*
 * Bounded writer into caller-owned storage, for builders (payload HOB, event log, ACPI tables).
 * Reserve-then-write: tds_writer_reserve() hands out space only if all of it fits, so a builder
 * can check capacity before any irreversible step (safe-C rule 10, docs/safe-c.md).
 */
typedef struct tds_writer {
    tds_mut_bytes buf;
    size_t pos; /* invariant: pos <= buf.len */
} tds_writer;

static inline tds_writer tds_writer_make(tds_mut_bytes buf)
{
    tds_writer w = {buf, 0};
    return w;
}

static inline size_t tds_writer_remaining(const tds_writer *w)
{
    return w->buf.len - w->pos;
}
static inline size_t tds_writer_pos(const tds_writer *w)
{
    return w->pos;
}

TDS_MUST_USE static inline tds_status tds_writer_reserve(tds_writer *w, size_t n, uint8_t **out)
{
    if (n > tds_writer_remaining(w)) {
        return TDS_ERR_NO_SPACE;
    }
    *out = w->buf.ptr + w->pos;
    w->pos += n;
    return TDS_OK;
}

TDS_MUST_USE static inline tds_status tds_writer_put(tds_writer *w, const void *src, size_t n)
{
    uint8_t *p;
    TDS_TRY(tds_writer_reserve(w, n, &p));
    if (n != 0) {
        memcpy(p, src, n);
    }
    return TDS_OK;
}

TDS_MUST_USE static inline tds_status tds_writer_zero(tds_writer *w, size_t n)
{
    uint8_t *p;
    TDS_TRY(tds_writer_reserve(w, n, &p));
    if (n != 0) {
        memset(p, 0, n);
    }
    return TDS_OK;
}

TDS_MUST_USE static inline tds_status tds_writer_u8(tds_writer *w, uint8_t v)
{
    return tds_writer_put(w, &v, 1);
}

TDS_MUST_USE static inline tds_status tds_writer_le16(tds_writer *w, uint16_t v)
{
    uint8_t *p;
    TDS_TRY(tds_writer_reserve(w, 2, &p));
    tds_store_le16(p, v);
    return TDS_OK;
}

TDS_MUST_USE static inline tds_status tds_writer_le32(tds_writer *w, uint32_t v)
{
    uint8_t *p;
    TDS_TRY(tds_writer_reserve(w, 4, &p));
    tds_store_le32(p, v);
    return TDS_OK;
}

TDS_MUST_USE static inline tds_status tds_writer_le64(tds_writer *w, uint64_t v)
{
    uint8_t *p;
    TDS_TRY(tds_writer_reserve(w, 8, &p));
    tds_store_le64(p, v);
    return TDS_OK;
}

#ifdef __cplusplus
}
#endif

#endif /* TDSHIM_CURSOR_H */
