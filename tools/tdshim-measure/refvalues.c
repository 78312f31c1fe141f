/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Reference values as CBOR (refvalues.h), on libcbor. */
#include "refvalues.h"

#include <stdlib.h>
#include <string.h>

#include <cbor.h>

/* Add key -> item to map and drop our references; false on allocation failure. */
static bool put(cbor_item_t *map, const char *key, cbor_item_t *value)
{
    cbor_item_t *k = cbor_build_string(key);
    bool ok = k != NULL && value != NULL &&
              cbor_map_add(map, (struct cbor_pair){.key = k, .value = value});
    if (k != NULL) {
        cbor_decref(&k);
    }
    if (value != NULL) {
        cbor_decref(&value);
    }
    return ok;
}

/* An unsigned integer in its shortest form (RFC 8949 4.2.1: deterministic encoding); libcbor's
 * builders keep the width they are given. */
static cbor_item_t *build_uint(uint64_t v)
{
    if (v <= UINT8_MAX) {
        return cbor_build_uint8((uint8_t)v);
    }
    if (v <= UINT16_MAX) {
        return cbor_build_uint16((uint16_t)v);
    }
    if (v <= UINT32_MAX) {
        return cbor_build_uint32((uint32_t)v);
    }
    return cbor_build_uint64(v);
}

static cbor_item_t *digest(const uint8_t *b)
{
    return cbor_build_bytestring(b, RTMR_SHA384_SIZE);
}

tds_status refvalues_encode(const refvalues *v, uint8_t **out, size_t *out_len)
{
    cbor_item_t *map = cbor_new_definite_map(v->has_mrtd ? 5 : 4);
    cbor_item_t *arr = cbor_new_definite_array(RTMR_COUNT);
    bool ok = map != NULL && arr != NULL;
    for (unsigned i = 0; ok && i < RTMR_COUNT; i++) {
        cbor_item_t *d = digest(v->rtmr.r[i].b);
        ok = d != NULL && cbor_array_push(arr, d);
        if (d != NULL) {
            cbor_decref(&d);
        }
    }
    ok = ok && put(map, "version", cbor_build_uint8(REFVALUES_VERSION));
    if (ok && v->has_mrtd) {
        ok = put(map, "mrtd", digest(v->mrtd));
    }
    if (ok) {
        ok = put(map, "rtmr", arr);
        arr = NULL; /* put() dropped our reference */
    }
    ok = ok && put(map, "ccel-sha384", digest(v->ccel_sha384.b));
    ok = ok && put(map, "ccel-events", build_uint(v->ccel_events));
    unsigned char *buf = NULL;
    size_t cap = 0;
    size_t len = ok ? cbor_serialize_alloc(map, &buf, &cap) : 0;
    if (arr != NULL) {
        cbor_decref(&arr);
    }
    if (map != NULL) {
        cbor_decref(&map);
    }
    if (len == 0) {
        free(buf);
        return TDS_ERR_NO_SPACE;
    }
    *out = buf;
    *out_len = len;
    return TDS_OK;
}

static bool is_key(const cbor_item_t *k, const char *want)
{
    const size_t n = strlen(want);
    return cbor_isa_string(k) && cbor_string_is_definite(k) && cbor_string_length(k) == n &&
           memcmp(cbor_string_handle(k), want, n) == 0;
}

static bool get_digest(const cbor_item_t *item, uint8_t out[RTMR_SHA384_SIZE])
{
    if (!cbor_isa_bytestring(item) || !cbor_bytestring_is_definite(item) ||
        cbor_bytestring_length(item) != RTMR_SHA384_SIZE) {
        return false;
    }
    memcpy(out, cbor_bytestring_handle(item), RTMR_SHA384_SIZE);
    return true;
}

static bool decode_map(const cbor_item_t *root, refvalues *v)
{
    if (!cbor_isa_map(root) || !cbor_map_is_definite(root)) {
        return false;
    }
    const size_t n = cbor_map_size(root);
    const struct cbor_pair *p = cbor_map_handle(root);
    bool seen_version = false;
    bool seen_rtmr = false;
    bool seen_ccel = false;
    bool seen_events = false;
    for (size_t i = 0; i < n; i++) {
        const cbor_item_t *val = p[i].value;
        if (is_key(p[i].key, "version") && !seen_version) {
            seen_version = cbor_isa_uint(val) && cbor_get_int(val) == REFVALUES_VERSION;
            if (!seen_version) {
                return false;
            }
        } else if (is_key(p[i].key, "mrtd") && !v->has_mrtd) {
            if (!get_digest(val, v->mrtd)) {
                return false;
            }
            v->has_mrtd = true;
        } else if (is_key(p[i].key, "rtmr") && !seen_rtmr) {
            if (!cbor_isa_array(val) || !cbor_array_is_definite(val) ||
                cbor_array_size(val) != RTMR_COUNT) {
                return false;
            }
            cbor_item_t **items = cbor_array_handle(val);
            for (unsigned r = 0; r < RTMR_COUNT; r++) {
                if (!get_digest(items[r], v->rtmr.r[r].b)) {
                    return false;
                }
            }
            seen_rtmr = true;
        } else if (is_key(p[i].key, "ccel-sha384") && !seen_ccel) {
            seen_ccel = get_digest(val, v->ccel_sha384.b);
            if (!seen_ccel) {
                return false;
            }
        } else if (is_key(p[i].key, "ccel-events") && !seen_events) {
            if (!cbor_isa_uint(val)) {
                return false;
            }
            v->ccel_events = cbor_get_int(val);
            seen_events = true;
        } else {
            return false; /* unknown or repeated key */
        }
    }
    return seen_version && seen_rtmr && seen_ccel && seen_events;
}

/*
 * libcbor's cbor_load allocates what the headers announce (a map header can claim 2^60 pairs), so
 * the untrusted bytes are first walked with its streaming decoder, which allocates nothing: every
 * item header must decode inside the input, containers must be definite with at most
 * REFVALUES_MAX_CONTAINER entries, strings definite, and the whole input small.
 */
#define REFVALUES_MAX_SIZE 1024u
#define REFVALUES_MAX_CONTAINER 8u
#define REFVALUES_MAX_ITEMS 64u

typedef struct scan {
    bool bad;
} scan;

static void bad_simple(void *ctx)
{
    ((scan *)ctx)->bad = true;
}

static void check_collection(void *ctx, size_t n)
{
    if (n > REFVALUES_MAX_CONTAINER) {
        ((scan *)ctx)->bad = true;
    }
}

static bool prescan(tds_bytes in)
{
    if (in.len == 0 || in.len > REFVALUES_MAX_SIZE) {
        return false;
    }
    struct cbor_callbacks cb = cbor_empty_callbacks;
    cb.array_start = check_collection;
    cb.map_start = check_collection;
    cb.indef_array_start = bad_simple;
    cb.indef_map_start = bad_simple;
    cb.byte_string_start = bad_simple; /* indefinite-length strings */
    cb.string_start = bad_simple;
    cb.indef_break = bad_simple;
    scan sc = {false};
    size_t pos = 0;
    for (unsigned items = 0; pos < in.len; items++) {
        if (items == REFVALUES_MAX_ITEMS) {
            return false;
        }
        const struct cbor_decoder_result r =
            cbor_stream_decode(in.ptr + pos, in.len - pos, &cb, &sc);
        if (r.status != CBOR_DECODER_FINISHED || r.read == 0 || r.read > in.len - pos || sc.bad) {
            return false;
        }
        pos += r.read;
    }
    return true;
}

tds_status refvalues_decode(tds_bytes in, refvalues *v)
{
    if (!prescan(in)) {
        return TDS_ERR_MALFORMED;
    }
    struct cbor_load_result res;
    cbor_item_t *root = cbor_load(in.ptr, in.len, &res);
    if (root == NULL || res.error.code != CBOR_ERR_NONE || res.read != in.len) {
        if (root != NULL) {
            cbor_decref(&root);
        }
        return TDS_ERR_MALFORMED;
    }
    refvalues tmp;
    memset(&tmp, 0, sizeof tmp);
    const bool ok = decode_map(root, &tmp);
    cbor_decref(&root);
    if (!ok) {
        return TDS_ERR_MALFORMED;
    }
    *v = tmp;
    return TDS_OK;
}
