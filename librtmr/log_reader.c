/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * CC event log reader: untrusted bytes -> one validation pass -> ccel_view (safe-C rule 8,
 * docs/safe-c.md). Every read goes through tds_cursor; every length from the log is bounded by what
 * remains.
 */
#include "tdshim/ccel.h"

static const uint8_t spec_sig[16] = CCEL_SPEC_ID_SIGNATURE;

static bool all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++) {
        acc = (uint8_t)(acc | p[i]);
    }
    return acc == 0;
}

static bool all_equal(tds_bytes b, uint8_t v)
{
    for (size_t i = 0; i < b.len; i++) {
        if (b.ptr[i] != v) {
            return false;
        }
    }
    return true;
}

static tds_status fail(ccel_parse_error *err, tds_status s, size_t off, uint32_t no,
                       const char *why)
{
    if (err != NULL) {
        err->status = s;
        err->offset = off;
        err->event_no = no;
        err->reason = why;
    }
    return s;
}

/* First entry: TCG_PCR_EVENT carrying TCG_EfiSpecIDEvent (the TCG PC Client Platform Firmware
 * Profile, crypto-agile event log). */
static tds_status parse_spec_id(tds_cursor *c, ccel_spec_id *spec, ccel_parse_error *err)
{
    uint32_t index, type, size;
    tds_bytes digest, sig, data;
    size_t at = tds_cursor_pos(c);
    if (tds_cursor_le32(c, &index) != TDS_OK || tds_cursor_le32(c, &type) != TDS_OK ||
        tds_cursor_take(c, 20, &digest) != TDS_OK || tds_cursor_le32(c, &size) != TDS_OK) {
        return fail(err, TDS_ERR_TRUNCATED, at, 0, "first event header truncated");
    }
    if (type != CCEL_EV_NO_ACTION) {
        return fail(err, TDS_ERR_MALFORMED, at + 4, 0, "first event is not EV_NO_ACTION");
    }
    if (!all_zero(digest.ptr, digest.len)) {
        return fail(err, TDS_ERR_MALFORMED, at + 8, 0, "first event digest is not zero");
    }
    size_t data_at = tds_cursor_pos(c);
    if (tds_cursor_take(c, size, &data) != TDS_OK) {
        return fail(err, TDS_ERR_TRUNCATED, at + 28, 0, "Spec ID event size past end");
    }
    tds_cursor e = tds_cursor_make(data);
    uint32_t nalg;
    uint8_t minor, major, errata, uintn, vsize;
    if (tds_cursor_take(&e, sizeof spec_sig, &sig) != TDS_OK) {
        return fail(err, TDS_ERR_TRUNCATED, data_at, 0, "Spec ID event truncated");
    }
    if (memcmp(sig.ptr, spec_sig, sizeof spec_sig) != 0) {
        return fail(err, TDS_ERR_MALFORMED, data_at, 0, "signature is not \"Spec ID Event03\"");
    }
    if (tds_cursor_le32(&e, &spec->platform_class) != TDS_OK ||
        tds_cursor_u8(&e, &minor) != TDS_OK || tds_cursor_u8(&e, &major) != TDS_OK ||
        tds_cursor_u8(&e, &errata) != TDS_OK || tds_cursor_u8(&e, &uintn) != TDS_OK ||
        tds_cursor_le32(&e, &nalg) != TDS_OK) {
        return fail(err, TDS_ERR_TRUNCATED, data_at + tds_cursor_pos(&e), 0,
                    "Spec ID event truncated");
    }
    if (major != 2 || minor != 0) {
        return fail(err, TDS_ERR_UNSUPPORTED, data_at + 20, 0, "spec version is not 2.0");
    }
    if (uintn != 1 && uintn != 2) {
        return fail(err, TDS_ERR_MALFORMED, data_at + 23, 0, "uintnSize is not 1 or 2");
    }
    size_t alg_at = data_at + 24;
    if (nalg == 0 || nalg > CCEL_MAX_ALGORITHMS) {
        return fail(err, TDS_ERR_MALFORMED, alg_at, 0, "bad numberOfAlgorithms");
    }
    bool sha384 = false;
    for (uint32_t i = 0; i < nalg; i++) {
        uint16_t alg, dsize;
        if (tds_cursor_le16(&e, &alg) != TDS_OK || tds_cursor_le16(&e, &dsize) != TDS_OK) {
            return fail(err, TDS_ERR_TRUNCATED, data_at + tds_cursor_pos(&e), 0,
                        "algorithm list truncated");
        }
        if (alg == CCEL_ALG_SHA384) {
            if (dsize != RTMR_SHA384_SIZE) {
                return fail(err, TDS_ERR_MALFORMED, data_at + tds_cursor_pos(&e) - 2, 0,
                            "SHA-384 digest size is not 48");
            }
            sha384 = true;
        }
    }
    if (nalg != 1 || !sha384) {
        return fail(err, TDS_ERR_UNSUPPORTED, alg_at, 0, "log is not SHA-384 only");
    }
    tds_bytes vendor;
    if (tds_cursor_u8(&e, &vsize) != TDS_OK || tds_cursor_take(&e, vsize, &vendor) != TDS_OK) {
        return fail(err, TDS_ERR_TRUNCATED, data_at + tds_cursor_pos(&e), 0,
                    "vendorInfo past end of Spec ID event");
    }
    if (!tds_cursor_at_end(&e)) {
        return fail(err, TDS_ERR_MALFORMED, data_at + tds_cursor_pos(&e), 0,
                    "bytes after vendorInfo in Spec ID event");
    }
    spec->header_index = index;
    spec->spec_version_minor = minor;
    spec->spec_version_major = major;
    spec->spec_errata = errata;
    spec->uintn_size = uintn;
    spec->vendor_info = vendor;
    return TDS_OK;
}

/* One CC_EVENT with exactly one SHA-384 digest. */
static tds_status read_event(tds_cursor *c, uint32_t no, ccel_event *ev, ccel_parse_error *err)
{
    size_t at = tds_cursor_pos(c);
    uint32_t mr, type, count, size;
    uint16_t alg;
    tds_bytes data;
    if (tds_cursor_le32(c, &mr) != TDS_OK || tds_cursor_le32(c, &type) != TDS_OK ||
        tds_cursor_le32(c, &count) != TDS_OK) {
        return fail(err, TDS_ERR_TRUNCATED, at, no, "event header truncated");
    }
    if (mr >= RTMR_MR_COUNT) {
        return fail(err, TDS_ERR_MALFORMED, at, no, "MR index out of range (0..4)");
    }
    if (count != 1) {
        return fail(err, TDS_ERR_MALFORMED, at + 8, no,
                    "digest count differs from numberOfAlgorithms (1)");
    }
    if (tds_cursor_le16(c, &alg) != TDS_OK) {
        return fail(err, TDS_ERR_TRUNCATED, at + 12, no, "event header truncated");
    }
    if (alg != CCEL_ALG_SHA384) {
        return fail(err, TDS_ERR_MALFORMED, at + 12, no, "digest algorithm is not SHA-384");
    }
    if (tds_cursor_copy(c, ev->digest.b, RTMR_SHA384_SIZE) != TDS_OK ||
        tds_cursor_le32(c, &size) != TDS_OK) {
        return fail(err, TDS_ERR_TRUNCATED, at + 14, no, "event header truncated");
    }
    if (tds_cursor_take(c, size, &data) != TDS_OK) {
        return fail(err, TDS_ERR_TRUNCATED, at + 62, no, "event size past end of log");
    }
    if (type == CCEL_EV_NO_ACTION) {
        if (!all_zero(ev->digest.b, RTMR_SHA384_SIZE)) {
            return fail(err, TDS_ERR_MALFORMED, at + 14, no, "EV_NO_ACTION digest is not zero");
        }
    } else if (mr == RTMR_MR_MRTD) {
        return fail(err, TDS_ERR_MALFORMED, at, no, "measured event into MRTD (index 0)");
    }
    ev->event_no = no;
    ev->offset = at;
    ev->mr_index = mr;
    ev->event_type = type;
    ev->data = data;
    return TDS_OK;
}

/* AREA mode: the rest is padding when it is all 0xFF (OVMF fill) or all 0x00. */
static bool rest_is_padding(const tds_cursor *c)
{
    tds_bytes rest = tds_bytes_make(c->buf.ptr + c->pos, tds_cursor_remaining(c));
    return all_equal(rest, 0xFF) || all_equal(rest, 0x00);
}

tds_status ccel_parse(tds_bytes log, uint32_t flags, ccel_view *out, ccel_parse_error *err)
{
    if (out == NULL || !tds_bytes_valid(log) || (flags & ~CCEL_PARSE_AREA) != 0) {
        return fail(err, TDS_ERR_INVALID_ARG, 0, 0, "invalid argument");
    }
    tds_cursor c = tds_cursor_make(log);
    ccel_spec_id spec;
    memset(&spec, 0, sizeof spec);
    TDS_TRY(parse_spec_id(&c, &spec, err));
    size_t start = tds_cursor_pos(&c);
    uint32_t count = 0;
    while (!tds_cursor_at_end(&c)) {
        if ((flags & CCEL_PARSE_AREA) != 0 && rest_is_padding(&c)) {
            break;
        }
        if (count == UINT32_MAX) {
            return fail(err, TDS_ERR_OVERFLOW, tds_cursor_pos(&c), count, "too many events");
        }
        ccel_event ev;
        TDS_TRY(read_event(&c, count + 1, &ev, err));
        count++;
    }
    out->log = log;
    out->events_start = start;
    out->events_end = tds_cursor_pos(&c);
    out->event_count = count;
    out->spec = spec;
    if (err != NULL) {
        err->status = TDS_OK;
        err->offset = 0;
        err->event_no = 0;
        err->reason = "ok";
    }
    return TDS_OK;
}

ccel_iter ccel_iter_make(const ccel_view *view)
{
    ccel_iter it = {view, view->events_start, 1};
    return it;
}

tds_status ccel_iter_next(ccel_iter *it, ccel_event *ev)
{
    if (it == NULL || ev == NULL || it->view == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    const ccel_view *v = it->view;
    if (it->pos >= v->events_end || it->next_no > v->event_count) {
        return TDS_ERR_NOT_FOUND;
    }
    tds_bytes span;
    TDS_TRY(tds_bytes_sub(v->log, 0, v->events_end, &span));
    tds_cursor c = tds_cursor_make(span);
    TDS_TRY(tds_cursor_seek(&c, it->pos));
    ccel_event tmp;
    /* The view was validated; re-reading through the same checks costs little and keeps a
     * view built by hand (or bytes changed behind it) from causing an out-of-bounds read. */
    TDS_TRY(read_event(&c, it->next_no, &tmp, NULL));
    *ev = tmp;
    it->pos = tds_cursor_pos(&c);
    it->next_no++;
    return TDS_OK;
}
