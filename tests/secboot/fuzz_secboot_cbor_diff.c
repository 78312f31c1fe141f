/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libFuzzer, differential: libsecboot's bounded CBOR reader against Debian's libcbor on every
 * input. libcbor decodes the whole input (cbor_load); this project's profile is then applied to
 * libcbor's tree (one item, no trailing bytes, no indefinite lengths, no floats, depth <= 8, maps
 * of <= 32 pairs with integer or string keys, no two keys equal by value). Both must agree on
 * accept or reject; when both accept, a pre-order walk of secboot_cbor_next must give libcbor's
 * items: the same major types, arguments and string bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cbor.h>

#include "tdshim/secboot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
    if (!cond) {
        __builtin_trap();
    }
}

/* ---- pre-scan with libcbor's streaming decoder: counts that cannot fit ---- */
typedef struct scan {
    size_t size;
    int absurd;
} scan;

static void on_array(void *ctx, uint64_t n)
{
    scan *s = ctx;
    s->absurd |= n > s->size;
}

static void on_map(void *ctx, uint64_t n)
{
    scan *s = ctx;
    s->absurd |= n > s->size / 2;
}

/*
 * Walk the heads with libcbor's streaming decoder, for two things cbor_load cannot be given as is:
 *  - libcbor's cbor_load allocates an array's or map's slots before reading its items; a count no
 *    input of this size can fill would make it ask for gigabytes. Such an input is incomplete for
 *    every decoder, so it counts as a libcbor refusal (returns 1) without calling cbor_load.
 *  - libcbor 0.8's decoder refuses the one-byte tag heads 0xC6..0xD4 (tags 6..20, which include
 *    COSE_Sign1's 18) as "malformed", though RFC 8949 3.4 makes every tag number well-formed
 *    (later libcbor releases decode them). Each such head is rewritten in `fixed` to its two-byte
 *    form 0xD8 nn, the same tag; every other byte is copied. *fixed_len is the new length.
 */
static int prescan(const uint8_t *data, size_t size, uint8_t *fixed, size_t *fixed_len)
{
    struct cbor_callbacks cb = cbor_empty_callbacks;
    cb.array_start = on_array;
    cb.map_start = on_map;
    scan s = {size, 0};
    size_t pos = 0;
    size_t out = 0;
    while (pos < size && !s.absurd) {
        const struct cbor_decoder_result r = cbor_stream_decode(data + pos, size - pos, &cb, &s);
        if (r.status == CBOR_DECODER_ERROR && data[pos] >= 0xC6 && data[pos] <= 0xD4) {
            fixed[out++] = 0xD8;
            fixed[out++] = (uint8_t)(data[pos] - 0xC0);
            pos++;
            continue;
        }
        if (r.status != CBOR_DECODER_FINISHED || r.read == 0) {
            break;
        }
        memcpy(fixed + out, data + pos, r.read);
        out += r.read;
        pos += r.read;
    }
    memcpy(fixed + out, data + pos, size - pos);
    *fixed_len = out + size - pos;
    return s.absurd;
}

/* ---- the profile on libcbor's tree ---- */
static int key_type_ok(cbor_item_t *k)
{
    switch (cbor_typeof(k)) {
    case CBOR_TYPE_UINT:
    case CBOR_TYPE_NEGINT: return 1;
    case CBOR_TYPE_BYTESTRING: return !cbor_bytestring_is_indefinite(k);
    case CBOR_TYPE_STRING: return !cbor_string_is_indefinite(k);
    default: return 0;
    }
}

static int keys_equal(cbor_item_t *a, cbor_item_t *b)
{
    if (cbor_typeof(a) != cbor_typeof(b)) {
        return 0;
    }
    switch (cbor_typeof(a)) {
    case CBOR_TYPE_UINT:
    case CBOR_TYPE_NEGINT: return cbor_get_int(a) == cbor_get_int(b);
    case CBOR_TYPE_BYTESTRING:
        return cbor_bytestring_length(a) == cbor_bytestring_length(b) &&
               (cbor_bytestring_length(a) == 0 ||
                memcmp(cbor_bytestring_handle(a), cbor_bytestring_handle(b),
                       cbor_bytestring_length(a)) == 0);
    case CBOR_TYPE_STRING:
        return cbor_string_length(a) == cbor_string_length(b) &&
               (cbor_string_length(a) == 0 ||
                memcmp(cbor_string_handle(a), cbor_string_handle(b), cbor_string_length(a)) == 0);
    default: return 0;
    }
}

static int profile_ok(cbor_item_t *it, unsigned depth)
{
    if (depth > SECBOOT_CBOR_MAX_DEPTH) {
        return 0;
    }
    switch (cbor_typeof(it)) {
    case CBOR_TYPE_UINT:
    case CBOR_TYPE_NEGINT: return 1;
    case CBOR_TYPE_BYTESTRING: return !cbor_bytestring_is_indefinite(it);
    case CBOR_TYPE_STRING: return !cbor_string_is_indefinite(it);
    case CBOR_TYPE_ARRAY: {
        if (cbor_array_is_indefinite(it)) {
            return 0;
        }
        cbor_item_t **h = cbor_array_handle(it);
        for (size_t i = 0; i < cbor_array_size(it); i++) {
            if (!profile_ok(h[i], depth + 1)) {
                return 0;
            }
        }
        return 1;
    }
    case CBOR_TYPE_MAP: {
        if (cbor_map_is_indefinite(it) || cbor_map_size(it) > SECBOOT_CBOR_MAX_MAP) {
            return 0;
        }
        struct cbor_pair *p = cbor_map_handle(it);
        for (size_t i = 0; i < cbor_map_size(it); i++) {
            if (!key_type_ok(p[i].key) || !profile_ok(p[i].key, depth + 1) ||
                !profile_ok(p[i].value, depth + 1)) {
                return 0;
            }
            for (size_t j = 0; j < i; j++) {
                if (keys_equal(p[j].key, p[i].key)) {
                    return 0;
                }
            }
        }
        return 1;
    }
    case CBOR_TYPE_TAG: {
        cbor_item_t *inner = cbor_tag_item(it);
        const int ok = profile_ok(inner, depth + 1);
        cbor_decref(&inner);
        return ok;
    }
    case CBOR_TYPE_FLOAT_CTRL:
        /* libcbor builds only false, true, null and undefined as ctrl items (20..23). */
        return cbor_float_ctrl_is_ctrl(it) && cbor_ctrl_value(it) >= 20 &&
               cbor_ctrl_value(it) <= 23;
    default: return 0;
    }
}

/* ---- value comparison: libcbor's tree against the reader's pre-order walk ---- */
static void same(secboot_cbor_reader *r, cbor_item_t *it)
{
    secboot_cbor_item m;
    check(secboot_cbor_next(r, &m, NULL) == TDS_OK);
    switch (cbor_typeof(it)) {
    case CBOR_TYPE_UINT: check(m.major == SECBOOT_CBOR_UINT && m.arg == cbor_get_int(it)); break;
    case CBOR_TYPE_NEGINT:
        check(m.major == SECBOOT_CBOR_NEGINT && m.arg == cbor_get_int(it));
        break;
    case CBOR_TYPE_BYTESTRING:
        check(m.major == SECBOOT_CBOR_BSTR && m.str.len == cbor_bytestring_length(it));
        check(m.str.len == 0 || memcmp(m.str.ptr, cbor_bytestring_handle(it), m.str.len) == 0);
        break;
    case CBOR_TYPE_STRING:
        check(m.major == SECBOOT_CBOR_TSTR && m.str.len == cbor_string_length(it));
        check(m.str.len == 0 || memcmp(m.str.ptr, cbor_string_handle(it), m.str.len) == 0);
        break;
    case CBOR_TYPE_ARRAY: {
        check(m.major == SECBOOT_CBOR_ARRAY && m.arg == cbor_array_size(it));
        cbor_item_t **h = cbor_array_handle(it);
        for (size_t i = 0; i < cbor_array_size(it); i++) {
            same(r, h[i]);
        }
        break;
    }
    case CBOR_TYPE_MAP: {
        check(m.major == SECBOOT_CBOR_MAP && m.arg == cbor_map_size(it));
        struct cbor_pair *p = cbor_map_handle(it);
        for (size_t i = 0; i < cbor_map_size(it); i++) {
            same(r, p[i].key);
            same(r, p[i].value);
        }
        break;
    }
    case CBOR_TYPE_TAG: {
        check(m.major == SECBOOT_CBOR_TAG && m.arg == cbor_tag_value(it));
        cbor_item_t *inner = cbor_tag_item(it);
        same(r, inner);
        cbor_decref(&inner);
        break;
    }
    case CBOR_TYPE_FLOAT_CTRL:
        check(m.major == SECBOOT_CBOR_SIMPLE && m.arg == cbor_ctrl_value(it));
        break;
    default: check(0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    secboot_error err = {SECBOOT_R_NONE, 0};
    const int mine = secboot_cbor_check(tds_bytes_make(data, size), &err) == TDS_OK;
    check(mine ? err.reason == SECBOOT_R_NONE
               : (err.reason != SECBOOT_R_NONE && err.offset <= size));

    int lib = 0;
    cbor_item_t *item = NULL;
    /* At most one extra byte per input byte (a one-byte tag head becomes two). */
    uint8_t *fixed = malloc(2 * size + 1);
    size_t fixed_len = 0;
    check(fixed != NULL);
    if (!prescan(data, size, fixed, &fixed_len)) {
        struct cbor_load_result res;
        item = cbor_load(fixed, fixed_len, &res);
        lib = item != NULL && res.error.code == CBOR_ERR_NONE && res.read == fixed_len &&
              profile_ok(item, 1);
    }
    free(fixed);
    check(mine == lib);
    if (mine && lib) {
        secboot_cbor_reader r = secboot_cbor_reader_make(tds_bytes_make(data, size));
        same(&r, item);
        check(tds_cursor_at_end(&r.cur));
    }
    if (item != NULL) {
        cbor_decref(&item);
    }
    return 0;
}
