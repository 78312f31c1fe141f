/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * A small bounded CBOR reader (RFC 8949) for the fixed COSE structure (docs/libsecboot.md 4):
 * definite lengths only, no floats, bounded depth and map size, no duplicate map keys, no
 * trailing bytes. No allocation; the recursion is bounded by SECBOOT_CBOR_MAX_DEPTH.
 */
#include "secboot_int.h"

#define AI_1 24u
#define AI_8 27u
#define AI_INDEFINITE 31u
#define SIMPLE_FALSE 20u
#define SIMPLE_UNDEFINED 23u

static tds_status read_arg(tds_cursor *c, uint8_t ai, uint64_t *arg)
{
    if (ai < AI_1) {
        *arg = ai;
        return TDS_OK;
    }
    const size_t n = (size_t)1 << (ai - AI_1); /* 1, 2, 4 or 8 bytes */
    tds_bytes b;
    TDS_TRY(tds_cursor_take(c, n, &b));
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        v = v << 8 | b.ptr[i];
    }
    *arg = v;
    return TDS_OK;
}

/* RFC 3629 section 4: well-formed UTF-8 (no overlong forms, no surrogates, <= U+10FFFF). */
static bool utf8_ok(tds_bytes s)
{
    size_t i = 0;
    while (i < s.len) {
        const uint8_t c = s.ptr[i];
        size_t more;
        uint8_t lo = 0x80;
        uint8_t hi = 0xBF;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            more = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            more = 2;
            lo = c == 0xE0 ? 0xA0 : 0x80;
            hi = c == 0xED ? 0x9F : 0xBF;
        } else if (c >= 0xF0 && c <= 0xF4) {
            more = 3;
            lo = c == 0xF0 ? 0x90 : 0x80;
            hi = c == 0xF4 ? 0x8F : 0xBF;
        } else {
            return false;
        }
        if (more > s.len - i - 1) {
            return false;
        }
        /* The first continuation byte has the narrowed range, the others 80..BF. */
        if (s.ptr[i + 1] < lo || s.ptr[i + 1] > hi) {
            return false;
        }
        for (size_t k = 2; k <= more; k++) {
            if (s.ptr[i + k] < 0x80 || s.ptr[i + k] > 0xBF) {
                return false;
            }
        }
        i += more + 1;
    }
    return true;
}

tds_status secboot_cbor_next(secboot_cbor_reader *r, secboot_cbor_item *out, secboot_error *err)
{
    if (r == NULL || out == NULL || !tds_bytes_valid(r->cur.buf)) {
        return sb_fail(err, SECBOOT_R_BAD_ARG, 0);
    }
    tds_cursor c = r->cur;
    const size_t at = tds_cursor_pos(&c);
    uint8_t ib;
    if (tds_cursor_u8(&c, &ib) != TDS_OK) {
        return sb_fail(err, SECBOOT_R_CBOR_TRUNCATED, at);
    }
    const uint8_t major = (uint8_t)(ib >> 5);
    const uint8_t ai = (uint8_t)(ib & 0x1Fu);
    if (ai == AI_INDEFINITE) {
        return sb_fail(err, SECBOOT_R_CBOR_INDEFINITE, at);
    }
    if (ai > AI_8) {
        return sb_fail(err, SECBOOT_R_CBOR_RESERVED, at);
    }
    secboot_cbor_item it = {0};
    it.major = major;
    it.offset = at;
    it.str = tds_bytes_make(NULL, 0);
    if (major == SECBOOT_CBOR_SIMPLE) {
        if (ai < SIMPLE_FALSE || ai > SIMPLE_UNDEFINED) {
            return sb_fail(err, SECBOOT_R_CBOR_SIMPLE, at);
        }
        it.arg = ai;
    } else if (read_arg(&c, ai, &it.arg) != TDS_OK) {
        return sb_fail(err, SECBOOT_R_CBOR_TRUNCATED, at);
    }
    const uint64_t left = tds_cursor_remaining(&c);
    switch (major) {
    case SECBOOT_CBOR_BSTR:
    case SECBOOT_CBOR_TSTR:
        if (it.arg > left || tds_cursor_take(&c, (size_t)it.arg, &it.str) != TDS_OK) {
            return sb_fail(err, SECBOOT_R_CBOR_TRUNCATED, at);
        }
        if (major == SECBOOT_CBOR_TSTR && !utf8_ok(it.str)) {
            return sb_fail(err, SECBOOT_R_CBOR_UTF8, at);
        }
        break;
    case SECBOOT_CBOR_ARRAY:
        if (it.arg > left) { /* every item takes at least one byte */
            return sb_fail(err, SECBOOT_R_CBOR_TRUNCATED, at);
        }
        break;
    case SECBOOT_CBOR_MAP:
        if (it.arg > left / 2) {
            return sb_fail(err, SECBOOT_R_CBOR_TRUNCATED, at);
        }
        break;
    case SECBOOT_CBOR_TAG:
        if (left == 0) {
            return sb_fail(err, SECBOOT_R_CBOR_TRUNCATED, at);
        }
        break;
    default: break;
    }
    r->cur = c;
    *out = it;
    return TDS_OK;
}

static bool is_key_type(uint8_t major)
{
    return major == SECBOOT_CBOR_UINT || major == SECBOOT_CBOR_NEGINT ||
           major == SECBOOT_CBOR_BSTR || major == SECBOOT_CBOR_TSTR;
}

/* Same key by value (both heads already read successfully once). */
static bool same_key(const secboot_cbor_item *a, const secboot_cbor_item *b)
{
    if (a->major != b->major || a->arg != b->arg) {
        return false;
    }
    if (a->major == SECBOOT_CBOR_BSTR || a->major == SECBOOT_CBOR_TSTR) {
        return a->arg == 0 || memcmp(a->str.ptr, b->str.ptr, (size_t)a->arg) == 0;
    }
    return true;
}

static tds_status skip_item(secboot_cbor_reader *r, unsigned depth, secboot_error *err);

static tds_status skip_map(secboot_cbor_reader *r, const secboot_cbor_item *m, unsigned depth,
                           secboot_error *err)
{
    if (m->arg > SECBOOT_CBOR_MAX_MAP) {
        return sb_fail(err, SECBOOT_R_CBOR_MAP_SIZE, m->offset);
    }
    size_t key_at[SECBOOT_CBOR_MAX_MAP];
    for (size_t i = 0; i < (size_t)m->arg; i++) {
        if (depth + 1 > SECBOOT_CBOR_MAX_DEPTH) {
            return sb_fail(err, SECBOOT_R_CBOR_DEPTH, tds_cursor_pos(&r->cur));
        }
        secboot_cbor_item key = {0};
        TDS_TRY(secboot_cbor_next(r, &key, err));
        if (!is_key_type(key.major)) {
            return sb_fail(err, SECBOOT_R_CBOR_KEY_TYPE, key.offset);
        }
        for (size_t j = 0; j < i; j++) {
            secboot_cbor_reader again = *r;
            secboot_cbor_item prev = {0};
            if (tds_cursor_seek(&again.cur, key_at[j]) != TDS_OK ||
                secboot_cbor_next(&again, &prev, NULL) != TDS_OK) {
                return sb_fail(err, SECBOOT_R_BAD_ARG, key_at[j]); /* cannot happen */
            }
            if (same_key(&prev, &key)) {
                return sb_fail(err, SECBOOT_R_CBOR_DUPLICATE, key.offset);
            }
        }
        key_at[i] = key.offset;
        TDS_TRY(skip_item(r, depth + 1, err));
    }
    return TDS_OK;
}

/* Read and check one whole item at nesting level `depth` (the top item is at 1). */
static tds_status skip_item(secboot_cbor_reader *r, unsigned depth, secboot_error *err)
{
    if (depth > SECBOOT_CBOR_MAX_DEPTH) {
        return sb_fail(err, SECBOOT_R_CBOR_DEPTH, tds_cursor_pos(&r->cur));
    }
    secboot_cbor_item it = {0};
    TDS_TRY(secboot_cbor_next(r, &it, err));
    switch (it.major) {
    case SECBOOT_CBOR_ARRAY:
        for (uint64_t i = 0; i < it.arg; i++) {
            TDS_TRY(skip_item(r, depth + 1, err));
        }
        return TDS_OK;
    case SECBOOT_CBOR_MAP: return skip_map(r, &it, depth, err);
    case SECBOOT_CBOR_TAG: return skip_item(r, depth + 1, err);
    default: return TDS_OK;
    }
}

tds_status secboot_cbor_check(tds_bytes doc, secboot_error *err)
{
    if (!tds_bytes_valid(doc)) {
        return sb_fail(err, SECBOOT_R_BAD_ARG, 0);
    }
    secboot_cbor_reader r = secboot_cbor_reader_make(doc);
    TDS_TRY(skip_item(&r, 1, err));
    if (!tds_cursor_at_end(&r.cur)) {
        return sb_fail(err, SECBOOT_R_CBOR_TRAILING, tds_cursor_pos(&r.cur));
    }
    return TDS_OK;
}
