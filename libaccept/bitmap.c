/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Accept-on-demand: the Linux unaccepted-memory table (Linux include/linux/efi.h,
 * efi_unaccepted_memory) and a tracker over it. Every table field is read with little-endian byte
 * loads (safe-C rule 5, docs/safe-c.md); bits are addressed byte by byte, so no alignment is
 * assumed for the caller's buffer.
 */
#include "tdshim/accept_bitmap.h"

#include "engine_internal.h"

#define TRACKER_MAGIC 0x54524b52u /* "TRKR" */
/* Ranges gathered per engine run (on the stack: 16 bytes each). */
#define BATCH_MAX 32u

typedef struct batch {
    accept_range r[BATCH_MAX];
    size_t n;
} batch;

static uint64_t round_down_unit(uint64_t v)
{
    return v & ~(ACCEPT_TABLE_UNIT - 1);
}

/* Only for v < ACCEPT_GPA_LIMIT: cannot overflow. */
static uint64_t round_up_unit(uint64_t v)
{
    return (v + ACCEPT_TABLE_UNIT - 1) & ~(ACCEPT_TABLE_UNIT - 1);
}

static TDS_MUST_USE tds_status batch_flush(accept_ctx *ctx, batch *b)
{
    if (b->n == 0) {
        return TDS_OK;
    }
    tds_status s = accept_run_map(ctx, b->r, b->n, ACCEPT_GPA_LIMIT);
    b->n = 0;
    return s;
}

/* Add [s, e) (sorted after what is already in the batch), merging with an adjacent previous. */
static TDS_MUST_USE tds_status batch_add(accept_ctx *ctx, batch *b, uint64_t s, uint64_t e)
{
    if (s >= e) {
        return TDS_OK;
    }
    if (b->n > 0 && b->r[b->n - 1].base + b->r[b->n - 1].len == s) {
        b->r[b->n - 1].len += e - s;
        return TDS_OK;
    }
    if (b->n == BATCH_MAX) {
        TDS_TRY(batch_flush(ctx, b));
    }
    b->r[b->n].base = s;
    b->r[b->n].len = e - s;
    b->n++;
    return TDS_OK;
}

tds_status accept_table_size(const accept_range *lazy, size_t n, size_t *out)
{
    if (out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(accept_check_map(lazy, n));
    uint64_t bytes = 0;
    if (n > 0) {
        uint64_t lo = round_down_unit(lazy[0].base);
        uint64_t hi = round_up_unit(lazy[n - 1].base + lazy[n - 1].len);
        uint64_t per_byte = ACCEPT_TABLE_UNIT * 8;
        bytes = (hi - lo + per_byte - 1) / per_byte;
    }
    uint64_t total;
    TDS_TRY(tds_add_u64(bytes, ACCEPT_TABLE_HEADER_SIZE, &total));
    return tds_u64_to_size(total, out);
}

/* The unit-aligned middle of a range that is left unaccepted; false if none (all eager). */
static bool lazy_middle(const accept_range *r, uint64_t *ms, uint64_t *me)
{
    if (r->len < 2 * ACCEPT_TABLE_UNIT) {
        return false; /* Linux accepts such ranges at once (load_unaligned_zeropad guard) */
    }
    *ms = round_up_unit(r->base);
    *me = round_down_unit(r->base + r->len);
    return *ms < *me;
}

static void bit_set(uint8_t *bm, uint64_t i)
{
    bm[i / 8] = (uint8_t)(bm[i / 8] | (1u << (i % 8)));
}

static void bit_clear(uint8_t *bm, uint64_t i)
{
    bm[i / 8] = (uint8_t)(bm[i / 8] & ~(1u << (i % 8)));
}

static bool bit_get(const uint8_t *bm, uint64_t i)
{
    return ((unsigned)bm[i / 8] >> (i % 8) & 1u) != 0;
}

tds_status accept_table_build(accept_ctx *ctx, const accept_range *lazy, size_t n,
                              tds_mut_bytes table, size_t *table_len)
{
    if (!accept_ctx_usable(ctx) || table_len == NULL || table.ptr == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    size_t need;
    TDS_TRY(accept_table_size(lazy, n, &need));
    if (table.len < need) {
        return TDS_ERR_NO_SPACE;
    }

    /* Act: accept what the bitmap cannot carry. */
    batch b;
    b.n = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t s = lazy[i].base;
        uint64_t e = s + lazy[i].len;
        uint64_t ms, me;
        if (lazy_middle(&lazy[i], &ms, &me)) {
            TDS_TRY(batch_add(ctx, &b, s, ms));
            TDS_TRY(batch_add(ctx, &b, me, e));
        } else {
            TDS_TRY(batch_add(ctx, &b, s, e));
        }
    }
    TDS_TRY(batch_flush(ctx, &b));

    /* Commit: the table. */
    uint8_t *t = table.ptr;
    uint64_t phys_base = n > 0 ? round_down_unit(lazy[0].base) : 0;
    memset(t, 0, need);
    tds_store_le32(t + ACCEPT_TABLE_OFF_VERSION, ACCEPT_TABLE_VERSION);
    tds_store_le32(t + ACCEPT_TABLE_OFF_UNIT, (uint32_t)ACCEPT_TABLE_UNIT);
    tds_store_le64(t + ACCEPT_TABLE_OFF_PHYS_BASE, phys_base);
    tds_store_le64(t + ACCEPT_TABLE_OFF_SIZE, (uint64_t)(need - ACCEPT_TABLE_HEADER_SIZE));
    uint8_t *bm = t + ACCEPT_TABLE_HEADER_SIZE;
    for (size_t i = 0; i < n; i++) {
        uint64_t ms, me;
        if (lazy_middle(&lazy[i], &ms, &me)) {
            for (uint64_t a = ms; a < me; a += ACCEPT_TABLE_UNIT) {
                bit_set(bm, (a - phys_base) / ACCEPT_TABLE_UNIT);
            }
        }
    }
    *table_len = need;
    return TDS_OK;
}

tds_status accept_tracker_init(accept_tracker *t, tds_mut_bytes table)
{
    if (t == NULL || (table.ptr == NULL && table.len != 0)) {
        return TDS_ERR_INVALID_ARG;
    }
    if (table.len < ACCEPT_TABLE_HEADER_SIZE) {
        return TDS_ERR_TRUNCATED;
    }
    const uint8_t *p = table.ptr;
    uint32_t version = tds_load_le32(p + ACCEPT_TABLE_OFF_VERSION);
    uint32_t unit = tds_load_le32(p + ACCEPT_TABLE_OFF_UNIT);
    uint64_t phys_base = tds_load_le64(p + ACCEPT_TABLE_OFF_PHYS_BASE);
    uint64_t size = tds_load_le64(p + ACCEPT_TABLE_OFF_SIZE);
    if (version != ACCEPT_TABLE_VERSION || unit != ACCEPT_TABLE_UNIT) {
        return TDS_ERR_UNSUPPORTED;
    }
    if (!tds_is_aligned_u64(phys_base, ACCEPT_TABLE_UNIT)) {
        return TDS_ERR_MALFORMED;
    }
    if (size > (uint64_t)(table.len - ACCEPT_TABLE_HEADER_SIZE)) {
        return TDS_ERR_TRUNCATED;
    }
    uint64_t nbits, span, end;
    TDS_TRY(tds_mul_u64(size, 8, &nbits));
    TDS_TRY(tds_mul_u64(nbits, ACCEPT_TABLE_UNIT, &span));
    if (tds_range_end(phys_base, span, &end) != TDS_OK || end > ACCEPT_GPA_LIMIT) {
        return TDS_ERR_OUT_OF_BOUNDS;
    }
    t->bitmap = table.ptr + ACCEPT_TABLE_HEADER_SIZE;
    t->phys_base = phys_base;
    t->nbits = nbits;
    t->magic = TRACKER_MAGIC;
    return TDS_OK;
}

/* Bits [*first, *last_excl) covering [gpa, gpa+len) inside the bitmap; false when none. */
static TDS_MUST_USE tds_status bits_for(const accept_tracker *t, uint64_t gpa, uint64_t len,
                                        uint64_t *first, uint64_t *end_bit, bool *any)
{
    uint64_t end;
    TDS_TRY(tds_range_end(gpa, len, &end));
    *any = false;
    uint64_t span_end = t->phys_base + t->nbits * ACCEPT_TABLE_UNIT; /* checked at init */
    if (len == 0 || end <= t->phys_base || gpa >= span_end) {
        return TDS_OK;
    }
    uint64_t s = gpa > t->phys_base ? gpa : t->phys_base;
    uint64_t e = end < span_end ? end : span_end;
    *first = (s - t->phys_base) / ACCEPT_TABLE_UNIT;
    *end_bit = (e - t->phys_base + ACCEPT_TABLE_UNIT - 1) / ACCEPT_TABLE_UNIT;
    *any = true;
    return TDS_OK;
}

tds_status accept_tracker_query(const accept_tracker *t, uint64_t gpa, uint64_t len, bool *pending)
{
    if (t == NULL || t->magic != TRACKER_MAGIC || pending == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    uint64_t first = 0, end_bit = 0;
    bool any;
    TDS_TRY(bits_for(t, gpa, len, &first, &end_bit, &any));
    bool p = false;
    for (uint64_t i = first; any && i < end_bit && !p; i++) {
        p = bit_get(t->bitmap, i);
    }
    *pending = p;
    return TDS_OK;
}

tds_status accept_tracker_pending(const accept_tracker *t, uint64_t *bytes)
{
    if (t == NULL || t->magic != TRACKER_MAGIC || bytes == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    uint64_t count = 0;
    for (uint64_t i = 0; i < t->nbits; i++) {
        count += bit_get(t->bitmap, i) ? 1u : 0u;
    }
    *bytes = count * ACCEPT_TABLE_UNIT; /* nbits * unit fits: checked at init */
    return TDS_OK;
}

static void clear_bits(accept_tracker *t, const batch *b)
{
    for (size_t j = 0; j < b->n; j++) {
        uint64_t i0 = (b->r[j].base - t->phys_base) / ACCEPT_TABLE_UNIT;
        uint64_t cnt = b->r[j].len / ACCEPT_TABLE_UNIT;
        for (uint64_t i = i0; i < i0 + cnt; i++) {
            bit_clear(t->bitmap, i);
        }
    }
}

tds_status accept_tracker_accept(accept_tracker *t, accept_ctx *ctx, uint64_t gpa, uint64_t len)
{
    if (t == NULL || t->magic != TRACKER_MAGIC || !accept_ctx_usable(ctx)) {
        return TDS_ERR_INVALID_ARG;
    }
    uint64_t first = 0, end_bit = 0;
    bool any;
    TDS_TRY(bits_for(t, gpa, len, &first, &end_bit, &any));
    if (!any) {
        return TDS_OK;
    }
    batch b;
    b.n = 0;
    uint64_t i = first;
    while (i < end_bit) {
        if (!bit_get(t->bitmap, i)) {
            i++;
            continue;
        }
        uint64_t j = i;
        while (j < end_bit && bit_get(t->bitmap, j)) {
            j++;
        }
        b.r[b.n].base = t->phys_base + i * ACCEPT_TABLE_UNIT;
        b.r[b.n].len = (j - i) * ACCEPT_TABLE_UNIT;
        b.n++;
        if (b.n == BATCH_MAX) {
            TDS_TRY(accept_run_map(ctx, b.r, b.n, ACCEPT_GPA_LIMIT));
            clear_bits(t, &b);
            b.n = 0;
        }
        i = j;
    }
    if (b.n > 0) {
        TDS_TRY(accept_run_map(ctx, b.r, b.n, ACCEPT_GPA_LIMIT));
        clear_bits(t, &b);
    }
    return TDS_OK;
}
